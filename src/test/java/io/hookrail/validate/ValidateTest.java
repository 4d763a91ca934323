package io.hookrail.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code validate [dir]}: one small broken file per kind of problem, each reported as {@code file:line:column: problem}
 * with exit status 1, and the flows Hookrail ships reported clean. No Camel context is started.
 */
class ValidateTest {

    @TempDir
    Path dir;

    private record Run(int status, List<String> lines) {
    }

    private Run validate(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Validate.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        return new Run(status, text.lines().toList());
    }

    private String write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file.toString();
    }

    /** The problem lines of a run over the temp dir (without the summary line), asserting status 1. */
    private List<String> problems() {
        Run run = validate(dir.toString());
        assertEquals(1, run.status(), String.join("\n", run.lines()));
        return run.lines().subList(0, run.lines().size() - 1);
    }

    @Test
    void yamlThatDoesNotParseIsReportedWhereTheParserStopped() throws IOException {
        String file = write("broken.camel.yaml", "- route:\n    id: r\n   from: x\n");
        assertEquals(List.of(file + ":3:4: not valid YAML: expected <block end>, but found '<block mapping start>'"),
                problems());
    }

    @Test
    void aPlaceholderWhereCamelsSchemaWantsANumberIsReported() throws IOException {
        String file = write("retries.camel.yaml", """
                - route:
                    id: retries
                    errorHandler:
                      deadLetterChannel:
                        deadLetterUri: direct:failed
                        redeliveryPolicy:
                          maximumRedeliveries: "{{hookrail.flow.retry.maximumRedeliveries}}"
                    from:
                      uri: direct:retries
                      steps:
                        - log: hi
                """);
        List<String> problems = problems();
        assertEquals(List.of(file + ":7:32: Camel YAML DSL schema: 'maximumRedeliveries': string found, number expected"),
                problems);
    }

    @Test
    void aMisspeltStepIsReportedAgainstCamelsSchema() throws IOException {
        String file = write("steps.camel.yaml", """
                - route:
                    id: steps
                    from:
                      uri: direct:steps
                      steps:
                        - lgo:
                            message: hi
                """);
        assertEquals(List.of(file + ":6:11: Camel YAML DSL schema: property 'lgo' is not defined in the schema and"
                + " the schema does not allow additional properties"), problems());
    }

    @Test
    void aRouteWithoutAnIdIsReported() throws IOException {
        String file = write("anonymous.camel.yaml", """
                - route:
                    from:
                      uri: direct:anonymous
                      steps:
                        - log: hi
                """);
        assertEquals(List.of(file + ":1:3: route without an id (add 'id:')"), problems());
    }

    @Test
    void aRouteIdUsedInTwoFilesIsReportedAtTheSecond() throws IOException {
        String first = write("a.camel.yaml", """
                - route:
                    id: twice
                    from:
                      uri: direct:a
                      steps:
                        - log: a
                """);
        String second = write("b.camel.yaml", """
                - templatedRoute:
                    routeTemplateRef: flow-entry
                    routeId: twice
                    parameters:
                      - name: owner
                        value: commerce-team
                      - name: riskTier
                        value: low
                """);
        assertEquals(List.of(second + ":3:14: duplicate route id 'twice' (first at " + first + ":2:9)"), problems());
    }

    @Test
    void anUnknownComponentOrOptionIsReported() throws IOException {
        String file = write("endpoints.camel.yaml", """
                - route:
                    id: endpoints
                    from:
                      uri: jms:queue:orders
                      parameters:
                        transactd: true
                      steps:
                        - to: jsm:queue:other
                        - to:
                            uri: kamelet:downstream-call-action
                            parameters:
                              url: http://127.0.0.1:1
                              sytem: erp
                """);
        assertEquals(List.of(
                file + ":4:12: unknown option 'transactd' of endpoint 'jms:queue:orders?transactd=true'",
                file + ":8:15: unknown endpoint 'jsm:queue:other': no Camel component 'jsm'",
                file + ":10:18: unknown option 'sytem' of endpoint"
                        + " 'kamelet:downstream-call-action?url=http://127.0.0.1:1&sytem=erp'"), problems());
    }

    @Test
    void aMasterEndpointsOptionsAreItsDelegatesOptions() throws IOException {
        String file = write("singleton.camel.yaml", """
                - route:
                    id: singleton
                    from:
                      uri: master:job:timer:job
                      parameters:
                        period: 1000
                        perod: 1000
                      steps:
                        - log: hi
                """);
        assertEquals(List.of(file + ":4:12: unknown option 'perod' of endpoint 'timer:job?period=1000&perod=1000'"),
                problems());
    }

    @Test
    void aComponentHookrailDoesNotShipIsReported() throws IOException {
        String file = write("kafka.camel.yaml", """
                - route:
                    id: kafka
                    from:
                      uri: kafka:orders
                      steps:
                        - log: hi
                """);
        assertEquals(List.of(file + ":4:12: endpoint 'kafka:orders': component 'kafka' is not in Hookrail"
                + " (add camel-kafka to the pom)"), problems());
    }

    @Test
    void aDataContractThatIsNotAJsonSchemaIsReported() throws IOException {
        String file = write("schemas/thing.created/v1.json", """
                {
                  "$schema": "https://json-schema.org/draft/2020-12/schema",
                  "type": "object",
                  "properties": {
                    "name": { "type": "strnig" }
                  },
                  "x-business-id": 3
                }
                """);
        assertEquals(List.of(
                file + ":5:23: not a JSON Schema 2020-12: 'type': does not have a value in the"
                        + " enumeration [\"array\", \"boolean\", \"integer\", \"null\", \"number\", \"object\", \"string\"]",
                file + ":7:20: x-business-id must name a field"), problems());
    }

    @Test
    void aPolicyFileProblemIsReportedAsPolicyFileFindsIt() throws IOException {
        String file = write("policies.yaml", "version: x\neventTypes: {}\n");
        assertEquals(List.of(file + ":1:10: version must be a positive integer, not 'x'"), problems());
    }

    @Test
    void anEventTypeWithoutAContractOrAFlowTypeWithoutASourceIsReported() throws IOException {
        write("schemas/order.placed/v1.json", "{ \"type\": \"object\" }\n");
        String properties = write("application.properties", """
                hookrail.sources = shop
                hookrail.source.shop.eventTypes = order.placed, order.cancelled
                """);
        String flow = write("refund.camel.yaml", """
                - templatedRoute:
                    routeTemplateRef: flow-entry
                    routeId: refund
                    parameters:
                      - name: eventType
                        value: refund.requested
                      - name: owner
                        value: finance-team
                      - name: riskTier
                        value: high
                """);
        assertEquals(List.of(
                properties + ":2:49: event type 'order.cancelled' has no data contract (schemas/order.cancelled/v1.json)",
                flow + ":6:16: event type 'refund.requested' has no webhook source"
                        + " (hookrail.source.<name>.eventTypes in " + properties + ")"), problems());
    }

    @Test
    void aFlowWithoutAnOwnerOrWithAnUnknownRiskTierIsReported() throws IOException {
        String file = write("owners.camel.yaml", """
                - templatedRoute:
                    routeTemplateRef: flow-entry
                    routeId: unowned
                - templatedRoute:
                    routeTemplateRef: flow-entry
                    routeId: risky
                    parameters:
                      - name: owner
                        value: finance-team
                      - name: riskTier
                        value: extreme
                """);
        assertEquals(List.of(
                file + ":2:5: flow without an owner (parameter 'owner': the team that answers for it)",
                file + ":2:5: flow without a risk tier (parameter 'riskTier': low, medium or high)",
                file + ":11:16: riskTier 'extreme' is none of low, medium, high"), problems());
    }

    @Test
    void aCandidateVersionWithoutItsStepsRouteOrWithABadShareIsReported() throws IOException {
        write("schemas/order.placed/v1.json", "{ \"type\": \"object\" }\n");
        write("v3.camel.yaml", """
                - route:
                    id: order-fulfilment-v3-steps
                    from:
                      uri: direct:order-fulfilment-v3
                      steps:
                        - log: v3
                """);
        String properties = write("application.properties", """
                hookrail.sources = shop
                hookrail.source.shop.eventTypes = order.placed
                hookrail.flow.order-fulfilment.candidate.version = 2
                hookrail.flow.order-fulfilment.candidate.share = 120
                hookrail.flow.order-fulfilment.candidate.mode = blue-green
                hookrail.flow.refund.candidate.version = 3
                hookrail.flow.lead-qualified.candidate.version =
                """);
        assertEquals(List.of(
                properties + ":3:52: candidate version 2 of flow order-fulfilment has no steps route"
                        + " (from: direct:order-fulfilment-v2)",
                properties + ":4:50: share '120' is not a whole percentage from 0 to 100",
                properties + ":5:49: mode 'blue-green' is neither canary nor shadow",
                properties + ":6:42: candidate version 3 of flow refund has no steps route (from: direct:refund-v3)"),
                problems());
    }

    @Test
    void aSagaStepWithoutACompensationIsReported() throws IOException {
        String file = write("saga.camel.yaml", """
                - route:
                    id: saga
                    from:
                      uri: direct:saga
                      steps:
                        - to:
                            uri: kamelet:downstream-call-action
                            parameters:
                              url: http://127.0.0.1:1/a
                              system: erp
                              step: a.create
                              compensation: direct:undo-a
                        - to:
                            uri: kamelet:downstream-call-action
                            parameters:
                              url: http://127.0.0.1:1/b
                              system: erp
                              step: b.create
                        - to:
                            uri: kamelet:downstream-call-action
                            parameters:
                              url: http://127.0.0.1:1/c
                              system: erp
                              step: c.create
                              compensation: direct:undo-c
                - route:
                    id: undo-a
                    from:
                      uri: direct:undo-a
                      steps:
                        - log: undone
                """);
        assertEquals(List.of(
                file + ":14:18: saga step without a compensation (only the last step may have none)",
                file + ":25:29: compensation 'direct:undo-c' is no route's 'from'"), problems());
    }

    @Test
    void aDirectoryThatIsNotThereIsAUsageError() {
        assertEquals(2, validate(dir.resolve("missing").toString()).status());
    }

    @Test
    void theShippedFlowsValidate() {
        Run run = validate();
        assertEquals(0, run.status(), String.join("\n", run.lines()));
        assertEquals(1, run.lines().size(), String.join("\n", run.lines()));
    }

    /** What CI checks: the source tree itself, as a user runs {@code validate src/main/resources}. */
    @Test
    void theSourceTreeValidates() {
        Run run = validate(Path.of("src/main/resources").toString());
        assertEquals(0, run.status(), String.join("\n", run.lines()));
    }
}
