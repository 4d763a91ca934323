package io.hookrail.ops;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker/compose.yaml, docker/Dockerfile and docker/prometheus/prometheus.yml agree with each other and with the
 * application: no container runtime runs here, so the files are parsed (SnakeYAML, which also reads the compose
 * file's YAML merge keys; the Dockerfile by lines) and checked against application.properties and activemq.xml.
 */
class DeploymentFilesTest {

    static final Path DOCKER = Path.of("docker");
    static final Path COMPOSE = DOCKER.resolve("compose.yaml");
    static final Path DOCKERFILE = DOCKER.resolve("Dockerfile");
    static final Path ACTIVEMQ_XML = DOCKER.resolve("activemq/activemq.xml");
    static final Path PROMETHEUS = DOCKER.resolve("prometheus/prometheus.yml");
    /** Keys another change adds to application.properties; listed here until it lands. */
    /** A tag with at least major.minor: 16.6, v2.55.1, 17.0.15_6-jre-noble, 3.9.9-eclipse-temurin-17. */
    static final Pattern PINNED_TAG = Pattern.compile("v?\\d+\\.\\d+([._-][A-Za-z0-9._-]+)?");

    static Map<String, Object> compose;
    static Map<String, Map<String, Object>> services;
    static Properties application;
    static Set<String> documentedKeys;
    static List<String> dockerfile;

    @BeforeAll
    static void load() throws IOException {
        compose = yaml(COMPOSE);
        services = new LinkedHashMap<>();
        map(compose.get("services")).forEach((name, service) -> services.put(name, map(service)));
        Path properties = Path.of("src/main/resources/application.properties");
        application = new Properties();
        try (var reader = Files.newBufferedReader(properties)) {
            application.load(reader);
        }
        documentedKeys = new TreeSet<>(application.stringPropertyNames());
        // keys documented as comments ("# camel.ssl.keyStore = ...") are keys too
        Pattern commented = Pattern.compile("^#\\s*([a-z][A-Za-z0-9.-]+)\\s*=.*$");
        for (String line : Files.readAllLines(properties)) {
            Matcher matcher = commented.matcher(line);
            if (matcher.matches()) {
                documentedKeys.add(matcher.group(1));
            }
        }
        dockerfile = Files.readAllLines(DOCKERFILE);
    }

    // compose: images, replicas, brokers, database

    @Test
    void everyImageIsPinnedToAnExactVersion() {
        List<String> images = new ArrayList<>();
        services.values().forEach(service -> {
            if (service.get("image") != null) {
                images.add(String.valueOf(service.get("image")));
            }
        });
        dockerfile.stream().map(String::trim).filter(line -> line.startsWith("FROM "))
                .forEach(line -> images.add(line.split("\\s+")[1]));
        assertFalse(images.isEmpty());
        for (String image : images) {
            int colon = image.lastIndexOf(':');
            assertTrue(colon > image.lastIndexOf('/'), image + " has no tag");
            String tag = image.substring(colon + 1);
            assertNotEquals("latest", tag, image);
            assertTrue(PINNED_TAG.matcher(tag).matches(), image + " is not pinned to an exact version");
        }
    }

    @Test
    void eachReplicasEnvironmentNamesPropertiesThatExist() throws IOException {
        Set<String> log4jVariables = new HashSet<>();
        Matcher env = Pattern.compile("\\$\\{env:([A-Z0-9_]+)").matcher(
                Files.readString(Path.of("src/main/resources/log4j2.properties")));
        while (env.find()) {
            log4jVariables.add(env.group(1));
        }
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> replica : replicas().entrySet()) {
            for (String name : replica.getValue().keySet()) {
                if (!log4jVariables.contains(name) && key(name) == null) {
                    unknown.add(replica.getKey() + ": " + name);
                }
            }
        }
        assertEquals(List.of(), unknown, "environment variables that set no key of application.properties");
        assertNotNull(key("HOOKRAIL_BROKER_SEALKEY"), "the mapping itself");
        assertEquals("camel.server.host", key("CAMEL_SERVER_HOST"));
        assertEquals(null, key("HOOKRAIL_NO_SUCH_KEY"));
    }

    @Test
    void replicasShareTheirKeysButNotTheirIdentityAndKeepSecretsOutOfTheFile() {
        Map<String, Map<String, String>> replicas = replicas();
        assertTrue(replicas.size() >= 2, "at least two Hookrail instances: " + replicas.keySet());
        Set<String> ids = replicas.values().stream().map(env -> env.get("HOOKRAIL_INSTANCE_ID")).collect(Collectors.toSet());
        assertEquals(replicas.size(), ids.size(), "instance ids must differ: " + ids);
        assertFalse(ids.contains(null), "every instance sets HOOKRAIL_INSTANCE_ID");
        for (String shared : List.of("HOOKRAIL_BROKER_SEALKEY", "HOOKRAIL_CRYPTO_KEYS", "HOOKRAIL_CRYPTO_PSEUDONYMKEY",
                "HOOKRAIL_BROKER_URL", "HOOKRAIL_DB_URL", "HOOKRAIL_PROFILE")) {
            Set<String> values = replicas.values().stream().map(env -> env.get(shared)).collect(Collectors.toSet());
            assertEquals(1, values.size(), shared + " must be the same on every instance: " + values);
            assertNotNull(values.iterator().next(), shared + " is not set");
        }
        Pattern secretName = Pattern.compile(".*(PASSWORD|TOKEN|SECRET|SEALKEY|KEYS|PSEUDONYMKEY)$");
        Pattern required = Pattern.compile("\\$\\{[A-Z0-9_]+:\\?[^}]*}");
        services.forEach((name, service) -> environment(service).forEach((variable, value) -> {
            if (secretName.matcher(variable).matches()) {
                assertTrue(required.matcher(value).matches(), name + ": " + variable + " must come from ${VAR:?...}");
            }
        }));
        replicas.values().forEach(env -> assertEquals("production", env.get("HOOKRAIL_PROFILE")));
    }

    @Test
    void theProductionProfileAcceptsEachReplicasConfiguration() {
        java.security.SecureRandom random = new java.security.SecureRandom();
        Pattern required = Pattern.compile("\\$\\{([A-Z0-9_]+):\\?[^}]*}");
        for (Map.Entry<String, Map<String, String>> replica : replicas().entrySet()) {
            // what docker/.env would give: a valid value of each kind
            Map<String, String> keys = new LinkedHashMap<>();
            replica.getValue().forEach((variable, value) -> {
                Matcher placeholder = required.matcher(value);
                String resolved = placeholder.matches() ? sample(placeholder.group(1), random) : value;
                String key = key(variable);
                if (key != null) {
                    keys.put(key, resolved);
                }
            });
            List<String> problems = io.hookrail.ops.profile.ProfileCheck.problems(
                    key -> keys.getOrDefault(key, application.getProperty(key)));
            assertEquals(List.of(), problems, replica.getKey() + " would not start in the production profile");
        }
    }

    /** A valid value for a docker/.env variable, as docs/production.md asks for it. */
    private static String sample(String variable, java.security.SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String key = java.util.Base64.getEncoder().encodeToString(bytes);
        if (variable.endsWith("_SECRET")) {
            return "whsec_" + key;
        }
        if (variable.equals("HOOKRAIL_CRYPTO_KEYS")) {
            return "k1:" + key;
        }
        if (variable.endsWith("_URL")) {
            return "https://" + variable.toLowerCase(Locale.ROOT) + ".example.com/api";
        }
        return key; // keys, tokens and passwords: 44 characters of base64 of 32 bytes
    }

    @Test
    void theBrokerUrlNamesBothBrokersAtTheirPort() throws IOException {
        String xml = Files.readString(ACTIVEMQ_XML);
        Matcher connector = Pattern.compile("uri=\"tcp://0\\.0\\.0\\.0:\\$\\{([A-Z_]+)}").matcher(xml);
        assertTrue(connector.find(), "activemq.xml's OpenWire connector");
        Matcher defaultPort = Pattern.compile("<prop key=\"" + connector.group(1) + "\">(\\d+)</prop>").matcher(xml);
        assertTrue(defaultPort.find(), "a default for " + connector.group(1));
        String port = defaultPort.group(1);

        List<String> brokers = services.entrySet().stream()
                .filter(entry -> String.valueOf(entry.getValue().get("image")).startsWith("apache/activemq-classic:"))
                .map(Map.Entry::getKey).sorted().toList();
        assertEquals(2, brokers.size(), "a master/slave pair: " + brokers);
        for (String broker : brokers) {
            Map<String, Object> service = services.get(broker);
            String brokerPort = environment(service).getOrDefault(connector.group(1), port);
            assertEquals(port, brokerPort, broker + " listens elsewhere");
            assertTrue(volumes(service).contains("./activemq/activemq.xml:/opt/apache-activemq/conf/activemq.xml:ro"),
                    broker + " runs docker/activemq/activemq.xml");
        }
        Set<String> kahaDb = brokers.stream().map(broker -> volumes(services.get(broker)).stream()
                .filter(volume -> volume.endsWith("/kahadb")).findFirst().orElse("none")).collect(Collectors.toSet());
        assertEquals(1, kahaDb.size(), "both brokers on one KahaDB volume: " + kahaDb);

        for (Map<String, String> env : replicas().values()) {
            String url = env.get("HOOKRAIL_BROKER_URL");
            Matcher failover = Pattern.compile("failover:\\(([^)]*)\\)\\?(.+)").matcher(url);
            assertTrue(failover.matches(), "a failover URL: " + url);
            List<String> uris = List.of(failover.group(1).split(","));
            assertEquals(brokers.stream().map(broker -> "tcp://" + broker + ":" + port).toList(), uris);
            assertTrue(failover.group(2).contains("timeout="), "without a timeout a send blocks while no broker is up");
            assertTrue(failover.group(2).contains("randomize=false"));
        }
    }

    @Test
    void theDatabaseUrlNamesThePostgresService() {
        Map<String, Object> postgres = services.get("postgres");
        assertNotNull(postgres, "a postgres service");
        assertTrue(String.valueOf(postgres.get("image")).startsWith("postgres:16."));
        String database = environment(postgres).get("POSTGRES_DB");
        for (Map<String, String> env : replicas().values()) {
            assertEquals("jdbc:postgresql://postgres:5432/" + database, env.get("HOOKRAIL_DB_URL"));
            assertEquals(environment(postgres).get("POSTGRES_USER"), env.get("HOOKRAIL_DB_USERNAME"));
            assertEquals(environment(postgres).get("POSTGRES_PASSWORD"), env.get("HOOKRAIL_DB_PASSWORD"));
        }
    }

    @Test
    void servicesWaitOnlyForHealthchecksThatExist() {
        for (Map.Entry<String, Map<String, Object>> service : services.entrySet()) {
            Object dependsOn = service.getValue().get("depends_on");
            if (!(dependsOn instanceof Map<?, ?> dependencies)) {
                continue;
            }
            dependencies.forEach((dependency, how) -> {
                assertTrue(services.containsKey(String.valueOf(dependency)), service.getKey() + " -> " + dependency);
                if ("service_healthy".equals(map(how).get("condition"))) {
                    assertNotNull(services.get(String.valueOf(dependency)).get("healthcheck"),
                            service.getKey() + " waits for " + dependency + " to be healthy, which has no healthcheck");
                }
            });
        }
        for (String replica : replicas().keySet()) {
            Map<String, Object> dependsOn = map(services.get(replica).get("depends_on"));
            assertTrue(dependsOn.containsKey("postgres"), replica + " waits for postgres");
            assertTrue(dependsOn.keySet().stream().anyMatch(name -> name.startsWith("activemq")), replica + " waits for a broker");
        }
    }

    @Test
    void healthchecksAndPortsAreTheApplications() {
        String ready = "http://127.0.0.1:" + application.getProperty("camel.management.port")
                + application.getProperty("camel.management.healthPath") + "/ready";
        Set<Integer> appPorts = Set.of(Integer.parseInt(application.getProperty("camel.server.port")),
                Integer.parseInt(application.getProperty("camel.management.port")));
        for (Map.Entry<String, Map<String, String>> replica : replicas().entrySet()) {
            Map<String, Object> service = services.get(replica.getKey());
            Object test = map(service.get("healthcheck")).get("test");
            assertTrue(String.valueOf(test).contains(ready), replica.getKey() + "'s healthcheck: " + test);
            // a service sharing this one's network namespace (Hawtio) publishes its port here: the Jolokia origin's
            Set<Integer> allowed = new HashSet<>(appPorts);
            services.values().stream().filter(other -> ("service:" + replica.getKey()).equals(other.get("network_mode")))
                    .forEach(other -> allowed.add(URI.create(replica.getValue().get("HOOKRAIL_JOLOKIA_ORIGIN")).getPort()));
            for (Object published : list(service.get("ports"))) {
                String[] parts = String.valueOf(published).split(":");
                assertEquals(3, parts.length, "published as host address:host port:container port: " + published);
                assertEquals("127.0.0.1", parts[0], "published on loopback only: " + published);
                assertTrue(allowed.contains(Integer.parseInt(parts[2])), replica.getKey() + " publishes " + published);
            }
        }
        String dockerfileCheck = dockerfile.stream().filter(line -> line.contains("HealthProbe\"")).findFirst().orElse("");
        assertTrue(dockerfileCheck.contains(ready), "the image's HEALTHCHECK: " + dockerfileCheck);
    }

    @Test
    void prometheusScrapesEveryInstanceAtItsManagementPort() throws IOException {
        Map<String, Object> job = list(yaml(PROMETHEUS).get("scrape_configs")).stream().map(DeploymentFilesTest::map)
                .filter(config -> "hookrail".equals(config.get("job_name"))).findFirst().orElseThrow();
        assertEquals(application.getProperty("camel.metrics.path"), job.get("metrics_path"));
        List<Object> targets = list(map(list(job.get("static_configs")).get(0)).get("targets"));
        String port = application.getProperty("camel.management.port");
        assertEquals(replicas().keySet().stream().map(name -> name + ":" + port).toList(), targets);
        // the management listener is served over TLS in compose, so Prometheus must ask over https
        assertEquals("https", job.get("scheme"));
    }

    @Test
    void everyFileTheComposeFileMountsExists() {
        List<String> missing = new ArrayList<>();
        services.forEach((name, service) -> {
            for (String volume : volumes(service)) {
                String source = volume.split(":")[0];
                if (source.startsWith("./") || source.startsWith("../")) {
                    if (!Files.exists(DOCKER.resolve(source).normalize())) {
                        missing.add(name + ": " + source);
                    }
                }
            }
            Object build = service.get("build");
            if (build != null) {
                Path context = DOCKER.resolve(String.valueOf(map(build).get("context"))).normalize();
                if (!Files.isRegularFile(context.resolve(String.valueOf(map(build).get("dockerfile"))))) {
                    missing.add(name + ": its Dockerfile");
                }
            }
        });
        map(compose.getOrDefault("secrets", Map.of())).forEach((name, secret) -> {
            String file = String.valueOf(map(secret).get("file"));
            if (!file.startsWith("${") && !Files.exists(DOCKER.resolve(file))) {
                missing.add("secret " + name + ": " + file);
            }
        });
        assertEquals(List.of(), missing);
        assertTrue(Files.exists(DOCKER.resolve(".env.example")), "docker/.env.example lists the settings");
        assertFalse(Files.exists(DOCKER.resolve("docker-compose.yml")), "compose.yaml replaced docker-compose.yml");
    }

    // the Dockerfile

    @Test
    void theImageIsBuiltOnJdk17AndRunsOnAJre17AsANonRootUser() {
        List<String> from = instructions("FROM");
        assertEquals(2, from.size(), "a build stage and a runtime stage: " + from);
        assertTrue(from.get(0).matches("maven:[0-9.]+-eclipse-temurin-17 AS build"), from.get(0));
        assertTrue(from.get(1).matches("eclipse-temurin:17\\.[0-9._]+-jre(-[a-z]+)?"), from.get(1));
        assertTrue(instructions("RUN").stream().anyMatch(run -> run.contains("mvn -B -DskipTests package")));
        assertTrue(instructions("COPY").stream().anyMatch(copy -> copy.contains("/build/target/hookrail.jar")));

        List<String> user = instructions("USER");
        assertEquals(1, user.size());
        String uid = user.get(0).split(":")[0];
        assertFalse(Set.of("root", "0").contains(uid), "USER " + user.get(0));
        assertTrue(uid.matches("\\d+"), "a fixed uid: " + uid);

        Set<String> exposed = instructions("EXPOSE").stream().flatMap(line -> List.of(line.split("\\s+")).stream())
                .collect(Collectors.toSet());
        assertEquals(Set.of(application.getProperty("camel.server.port"), application.getProperty("camel.management.port")),
                exposed);
        assertTrue(instructions("HEALTHCHECK").stream().anyMatch(line -> line.contains("/observe/health/ready")));
        String entrypoint = instructions("ENTRYPOINT").get(0);
        assertTrue(entrypoint.matches("\\[\"java\", \"-Xmx\\d+[mg]\".*\"-jar\", \"/opt/hookrail/hookrail.jar\"]"),
                entrypoint);
        assertTrue(instructions("VOLUME").stream().anyMatch(volume -> volume.contains("/var/lib/hookrail")));
        assertTrue(instructions("ENV").stream().anyMatch(env -> env.contains("HOOKRAIL_DATA_DIR=/var/lib/hookrail")));
    }

    // helpers

    /** The Hookrail instances: the services built from docker/Dockerfile, with their environment. */
    static Map<String, Map<String, String>> replicas() {
        Map<String, Map<String, String>> replicas = new LinkedHashMap<>();
        services.forEach((name, service) -> {
            Object build = service.get("build");
            if (build != null && "docker/Dockerfile".equals(map(build).get("dockerfile"))) {
                replicas.put(name, environment(service));
            }
        });
        return replicas;
    }

    /**
     * The application.properties key an environment variable sets, or null: {@code CAMEL_*} variables of
     * EnvironmentOverrides' prefixes (and Camel Main's own, such as {@code CAMEL_SSL_*}) bind ignoring case and dots;
     * any other is looked up by Camel's properties component as the key in upper case, dots and dashes as underscores.
     */
    static String key(String variable) {
        if (variable.startsWith("CAMEL_")) {
            String dotted = EnvironmentOverrides.PREFIXES.stream().anyMatch(variable::startsWith)
                    ? EnvironmentOverrides.from(Map.of(variable, "")).keySet().iterator().next()
                    : variable.toLowerCase(Locale.ROOT).replace('_', '.');
            String loose = dotted.replace(".", "");
            return documentedKeys.stream().filter(key -> key.toLowerCase(Locale.ROOT).replace(".", "").replace("-", "")
                    .equals(loose)).findFirst().orElse(null);
        }
        return documentedKeys.stream().filter(key -> key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_')
                .equals(variable)).findFirst().orElse(null);
    }

    static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> env = new LinkedHashMap<>();
        map(service.getOrDefault("environment", Map.of())).forEach((name, value) -> env.put(name, String.valueOf(value)));
        return env;
    }

    static List<String> volumes(Map<String, Object> service) {
        return list(service.get("volumes")).stream().map(String::valueOf).toList();
    }

    /** The Dockerfile's instructions of a kind, continuation lines joined, the keyword removed. */
    static List<String> instructions(String keyword) {
        List<String> joined = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : dockerfile) {
            String trimmed = line.trim();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                continue;
            }
            current.append(trimmed.endsWith("\\") ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
            if (!trimmed.endsWith("\\")) {
                joined.add(current.toString().trim().replaceAll("\\s+", " "));
                current.setLength(0);
            }
        }
        return joined.stream().filter(line -> line.startsWith(keyword + " "))
                .map(line -> line.substring(keyword.length() + 1).trim()).toList();
    }

    static Map<String, Object> yaml(Path file) throws IOException {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        return map(yaml.load(new StringReader(Files.readString(file))));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        assertTrue(value instanceof Map, "a mapping: " + value);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value == null ? List.of() : (List<Object>) value;
    }
}
