package io.hookrail.validate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code docs/flows.md} is the catalogue the flows generate, so it never drifts from them. */
class FlowCatalogueTest {

    @Test
    void theCatalogueInDocsIsTheOneTheFlowsGenerate() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, Catalogue.run(List.of(), new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
        assertEquals(out.toString(StandardCharsets.UTF_8), Files.readString(Path.of("docs/flows.md")),
                "docs/flows.md is out of date: run `java -jar target/hookrail.jar catalogue > docs/flows.md`");
    }

    @Test
    void eachFlowHasItsOwnerRiskTierStepsAndCompensations() {
        String catalogue = Catalogue.render(FlowFiles.onClasspath());
        assertTrue(catalogue.contains("| [order-fulfilment](#order-fulfilment) | `order.placed` | shop | commerce-team"
                + " | high | `orders_fulfilled` | 1 |"), catalogue);
        assertTrue(catalogue.contains("- **Steps** (version 1): `invoice.create` (erp), `payment.capture` (payments),"
                + " `email.send` (email), `note.add` (crm)"), catalogue);
        assertTrue(catalogue.contains("- **Compensations**: `invoice.create` by `invoice.cancel` (erp),"
                + " `payment.capture` by `payment.refund` (payments)"), catalogue);
        assertTrue(catalogue.contains("holds for approval `refund-above-threshold`"), catalogue);
    }
}
