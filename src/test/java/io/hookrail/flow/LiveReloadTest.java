package io.hookrail.flow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import io.hookrail.support.AdminClient;
import io.hookrail.support.Await;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.MetricsScrape;
import io.hookrail.support.SandboxClient;
import io.hookrail.support.WebhookSender;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The order flow comes from hookrail.routes.dir; while 500 orders run, its file is edited to version 2 (a new email
 * subject, and its steps mark the runs they carry as version 2). Every order is fulfilled exactly once, nothing is
 * dead-lettered, and every run's steps are of the version its entry started it on: no run is mixed. A save that
 * does not parse changes nothing, and one that cannot start leaves the version before running.
 */
class LiveReloadTest {

    static final int ORDERS = 500;
    static final int SENDERS = 4;
    /** The edit comes once this many runs are done, while others are mid-saga and more are arriving. */
    static final int DONE_AT_EDIT = 100;
    static final String FLOW = "order-fulfilment";
    static final List<String> FULFILLED = List.of("invoice.create", "payment.capture", "email.send");

    @TempDir
    Path routes;

    @Test
    void anEditUnderLoadLosesAndDoublesNothingAndNoRunMixesVersions() throws Exception {
        Path file = routes.resolve(FLOW + ".camel.yaml");
        String original = Files.readString(Path.of("src/main/resources/routes", FLOW + ".camel.yaml"));
        Files.writeString(file, version(original, "1"));
        try (HookrailInstance hookrail = HookrailInstance.builder()
                .property(RoutesDirectory.KEY, routes.toString()).start()) {
            // per order, "entry version/steps version" of each run that went through the steps
            Map<String, Set<String>> runs = new ConcurrentHashMap<>();
            RunVersions notifier = new RunVersions(runs);
            hookrail.camelContext().getManagementStrategy().addEventNotifier(notifier);
            int routesBefore = hookrail.camelContext().getRoutes().size();
            notifier.start();
            WebhookSender sender = new WebhookSender(hookrail.baseUrl());
            SandboxClient sandbox = new SandboxClient(hookrail.baseUrl());
            ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < ORDERS; i++) {
                String orderId = "ORD-RELOAD-" + i;
                statuses.add(senders.submit(() -> sender.standardWebhooks("shop", GoldenEvents.SHOP_SECRET,
                        "msg_reload_" + orderId, GoldenEvents.withField("shop-order-placed-small.json", "orderId",
                                orderId)).statusCode()));
            }

            assertTrue(Await.until(Duration.ofSeconds(120), () -> runs.size() >= DONE_AT_EDIT),
                    "no load before the edit");
            write(file, version(original, "2"));
            assertTrue(Await.until(Duration.ofSeconds(60),
                    () -> runs.values().stream().anyMatch(r -> r.contains("2/2"))), "version 2 never ran");

            for (Future<Integer> status : statuses) {
                assertEquals(202, status.get());
            }
            senders.shutdown();
            assertTrue(Await.until(Duration.ofSeconds(180),
                    () -> sandbox.ledger("").size() >= ORDERS * FULFILLED.size()), "not every order was fulfilled");

            Map<String, List<String>> ledger = sandbox.ledger("").stream().collect(Collectors.groupingBy(
                    SandboxClient.Effect::businessId, Collectors.mapping(SandboxClient.Effect::operation,
                            Collectors.toList())));
            assertEquals(ORDERS, ledger.size(), "orders in the ledger");
            ledger.forEach((order, operations) -> assertEquals(FULFILLED, operations, order));
            assertEquals(List.of(), new AdminClient(hookrail.baseUrl(), AdminClient.OPERATOR_TOKEN)
                    .deadLetterEventIds(FLOW));
            assertEquals(ORDERS, runs.size(), "orders whose run went through the steps");
            runs.forEach((order, versions) -> assertTrue(
                    Set.of("1/1").equals(versions) || Set.of("2/2").equals(versions), order + " ran " + versions));
            long v1 = runs.values().stream().filter(Set.of("1/1")::equals).count();
            assertNotEquals(0, v1, "no order ran on version 1");
            assertNotEquals(ORDERS, v1, "no order ran on version 2");
            // the flow's metrics count each run under the version that ran it
            assertTrue(Await.until(() -> completed(hookrail, "1") + completed(hookrail, "2") == ORDERS),
                    "completed runs in the metrics");
            assertEquals(v1, completed(hookrail, "1"), "runs of version 1 in the metrics");
            // the old version's routes are gone, the Kamelet's routes made for them too
            assertEquals(routesBefore, hookrail.camelContext().getRoutes().size(), "routes after the reload");
        }
    }

    @Test
    void onlyTheDirectorysFlowsRunAndABrokenSaveLeavesTheFlowRunning() throws Exception {
        Path file = routes.resolve(FLOW + ".camel.yaml");
        Files.copy(Path.of("src/main/resources/routes", FLOW + ".camel.yaml"), file);
        try (HookrailInstance hookrail = HookrailInstance.builder()
                .property(RoutesDirectory.KEY, routes.toString()).start()) {
            assertEquals(List.of(FLOW), FlowNames.of(hookrail.camelContext()), "the jar's flows run too");
            RouteWatcherReloadStrategy watcher = hookrail.camelContext().hasService(RouteWatcherReloadStrategy.class);
            int reloads = watcher.getReloadCounter();
            write(file, "- route:\n    id: order-fulfilment-steps\n   from: [\n");
            assertTrue(Await.until(() -> watcher.getReloadCounter() > reloads), "the broken save was not seen");

            assertEquals(202, new WebhookSender(hookrail.baseUrl()).standardWebhooks("shop", GoldenEvents.SHOP_SECRET,
                    "msg_reload_broken", GoldenEvents.withField("shop-order-placed-small.json", "orderId",
                            "ORD-RELOAD-BROKEN")).statusCode());
            assertEquals(FULFILLED, new SandboxClient(hookrail.baseUrl()).awaitOperations("ORD-RELOAD-BROKEN",
                    FULFILLED::equals));
        }
    }

    @Test
    void aVersionThatCannotStartLeavesTheVersionBeforeRunning() throws Exception {
        Path file = routes.resolve(FLOW + ".camel.yaml");
        String original = Files.readString(Path.of("src/main/resources/routes", FLOW + ".camel.yaml"));
        Files.writeString(file, original);
        try (HookrailInstance hookrail = HookrailInstance.builder()
                .property(RoutesDirectory.KEY, routes.toString()).start()) {
            int routesBefore = hookrail.camelContext().getRoutes().size();
            RouteWatcherReloadStrategy watcher = hookrail.camelContext().hasService(RouteWatcherReloadStrategy.class);
            int reloads = watcher.getReloadCounter();
            write(file, replaceOnce(original, "ref: approvalGate", "ref: noSuchBean"));
            assertTrue(Await.until(() -> watcher.getReloadCounter() > reloads), "the edit was not seen");

            assertEquals(routesBefore, hookrail.camelContext().getRoutes().size(), "routes after the failed reload");
            assertEquals(202, new WebhookSender(hookrail.baseUrl()).standardWebhooks("shop", GoldenEvents.SHOP_SECRET,
                    "msg_reload_unstartable", GoldenEvents.withField("shop-order-placed-small.json", "orderId",
                            "ORD-RELOAD-UNSTARTABLE")).statusCode());
            assertEquals(FULFILLED, new SandboxClient(hookrail.baseUrl()).awaitOperations("ORD-RELOAD-UNSTARTABLE",
                    FULFILLED::equals));
        }
    }

    static long completed(HookrailInstance hookrail, String version) {
        return (long) MetricsScrape.of(hookrail.managementUrl()).value("hookrail_flow_outcomes_total", "flow", FLOW,
                "outcome", "completed", "version", version);
    }

    /** Saves the file as an editor does: the new text under another name, moved over the old one. */
    static void write(Path file, String text) throws IOException {
        Path edited = file.resolveSibling(".edit.tmp");
        Files.writeString(edited, text);
        Files.move(edited, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * The flow file at a version: the entry's version parameter, the steps marking the run with their version, and,
     * from version 2, the version in the confirmation email's subject.
     */
    static String version(String flow, String version) {
        String versioned = replaceOnce(flow, "        value: orders_fulfilled\n",
                "        value: orders_fulfilled\n      - name: version\n        value: \"" + version + "\"\n");
        versioned = replaceOnce(versioned, "      uri: direct:order-fulfilment\n      steps:\n",
                "      uri: direct:order-fulfilment\n      steps:\n        - setProperty:\n            name: stepsVersion\n"
                        + "            constant: \"" + version + "\"\n");
        return "1".equals(version) ? versioned : replaceOnce(versioned, "subject: (\"Your order \" + .orderId)",
                "subject: (\"Your order \" + .orderId + \" (v" + version + ")\")");
    }

    static String replaceOnce(String text, String what, String with) {
        assertTrue(text.contains(what), "the flow file has no " + what);
        return text.replace(what, with);
    }

    /** Records, per order, the versions of the entry and of the steps of every run that reached the steps. */
    static final class RunVersions extends EventNotifierSupport {

        private final Map<String, Set<String>> runs;

        RunVersions(Map<String, Set<String>> runs) {
            this.runs = runs;
            setIgnoreExchangeCreatedEvent(true);
            setIgnoreExchangeSentEvents(true);
            setIgnoreExchangeSendingEvents(true);
        }

        @Override
        public void notify(CamelEvent event) {
            if (event instanceof CamelEvent.ExchangeCompletedEvent completed) {
                Exchange exchange = completed.getExchange();
                String steps = exchange.getProperty("stepsVersion", String.class);
                if (FLOW.equals(exchange.getFromRouteId()) && steps != null) {
                    runs.computeIfAbsent(exchange.getProperty(FlowContext.BUSINESS_ID, String.class),
                            order -> ConcurrentHashMap.newKeySet())
                            .add(exchange.getProperty(FlowContext.FLOW_VERSION, String.class) + "/" + steps);
                }
            }
        }
    }
}
