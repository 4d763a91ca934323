package io.hookrail.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Hookrail scaled out as docs/production.md, "Running several instances", describes: a PostgreSQL server and a standalone
 * ActiveMQ master/slave pair of the test's own, and two Hookrail processes pointed at both, each with its own
 * identity, sharing the keys instances of one deployment share.
 */
public final class HookrailCluster implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final PostgresServer database;
    private final ActiveMqPair brokers;
    private final List<HookrailProcess> instances = new ArrayList<>();

    private HookrailCluster(PostgresServer database, ActiveMqPair brokers) {
        this.database = database;
        this.brokers = brokers;
    }

    /** Starts the database, the broker pair and two instances with these properties besides the cluster's own. */
    public static HookrailCluster start(Map<String, String> properties) throws Exception {
        PostgresServer database = PostgresServer.start();
        ActiveMqPair brokers;
        try {
            brokers = new ActiveMqPair(Files.createTempDirectory("hookrail-brokers-"));
        } catch (Exception e) {
            database.close();
            throw e;
        }
        HookrailCluster cluster = new HookrailCluster(database, brokers);
        try {
            Map<String, String> shared = new LinkedHashMap<>(properties);
            shared.put("hookrail.db.url", cluster.database.jdbcUrl());
            shared.put("hookrail.broker.url", cluster.brokers.failoverUrl());
            shared.put("hookrail.broker.username", cluster.brokers.username());
            shared.put("hookrail.broker.password", cluster.brokers.password());
            shared.putAll(sharedKeys());
            for (String id : List.of("hookrail-a", "hookrail-b")) {
                Map<String, String> own = new HashMap<>(shared);
                own.put("hookrail.instance.id", id);
                cluster.instances.add(new HookrailProcess(Files.createTempDirectory(id + "-"), own));
            }
            // the first migrates the shared schema; the second starting alongside proves migrations wait for it
            List<Thread> starts = new ArrayList<>();
            List<Exception> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (HookrailProcess instance : cluster.instances) {
                Thread start = new Thread(() -> {
                    try {
                        instance.start();
                    } catch (Exception e) {
                        failures.add(e);
                    }
                });
                start.start();
                starts.add(start);
            }
            for (Thread start : starts) {
                start.join();
            }
            if (!failures.isEmpty()) {
                throw failures.get(0);
            }
            return cluster;
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    public HookrailProcess instance(int index) {
        return instances.get(index);
    }

    public List<HookrailProcess> instances() {
        return instances;
    }

    public PostgresServer database() {
        return database;
    }

    public ActiveMqPair brokers() {
        return brokers;
    }

    /** The sandbox's ledger in the shared store: each business id's effects, in the order they happened. */
    public Map<String, List<String>> ledger() throws SQLException {
        Map<String, List<String>> byBusinessId = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl());
             ResultSet rows = connection.createStatement()
                     .executeQuery("SELECT business_id, operation FROM sandbox_ledger ORDER BY seq")) {
            while (rows.next()) {
                byBusinessId.computeIfAbsent(rows.getString(1), id -> new ArrayList<>()).add(rows.getString(2));
            }
        }
        return byBusinessId;
    }

    /** How many flow keys the instance holds in progress, from the shared store. */
    public int keysHeldBy(String instanceId) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl());
             var query = connection.prepareStatement(
                     "SELECT COUNT(*) FROM flow_idempotency WHERE owner = ? AND state = 'IN_PROGRESS'")) {
            query.setString(1, instanceId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    /**
     * Who runs each singleton job, as this instance's readiness says ({@code singleton.<namespace>} in the details of
     * its {@code singletons} check); empty when the instance does not answer.
     */
    public static Map<String, String> singletonHolders(HookrailProcess instance) {
        Map<String, String> holders = new TreeMap<>();
        try {
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(instance.managementUrl() + "/observe/health/ready?data=true")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (JsonNode check : JSON.readTree(body).path("checks")) {
                if (check.path("name").asText().equals("singletons")) {
                    check.path("data").fields().forEachRemaining(detail -> {
                        if (detail.getKey().startsWith("singleton.")) {
                            holders.put(detail.getKey().substring("singleton.".length()), detail.getValue().asText());
                        }
                    });
                }
            }
        } catch (IOException notAnswering) {
            // a dead or stopping instance says nothing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return holders;
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        for (AutoCloseable part : closingOrder()) {
            try {
                part.close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private List<AutoCloseable> closingOrder() {
        List<AutoCloseable> parts = new ArrayList<>(instances);
        parts.add(brokers);
        parts.add(database);
        return parts;
    }

    /**
     * A new key set of one deployment, as properties: instances sharing a broker and a store must share the seal of
     * the events they put on the broker and the keys of the personal fields and pseudonyms they store.
     */
    public static Map<String, String> sharedKeys() {
        return Map.of("hookrail.broker.sealKey", randomKey(), "hookrail.crypto.keys", "k1:" + randomKey(),
                "hookrail.crypto.pseudonymKey", randomKey());
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
