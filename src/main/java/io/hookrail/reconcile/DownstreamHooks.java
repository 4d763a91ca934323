package io.hookrail.reconcile;

import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookrail.ops.HttpAnswers;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.component.direct.DirectEndpoint;

/**
 * The reconciliation hooks the flows declare: a route {@code from: direct:reconcile-<step>} asks the downstream system
 * which of its records the step made for a business id (e.g. the ERP's invoices by reference, the cancelled ones left
 * out) and answers them as a JSON array; one record is the effect, none is a missing one, more a duplicate. The
 * business id and the step come as exchange properties ({@code businessId}, {@code step}, {@code idempotencyKey}), not
 * headers, so that an HTTP call in the hook does not send them on.
 */
final class DownstreamHooks {

    static final String PREFIX = "reconcile-";
    private static final String DIRECT = "direct://";

    private final CamelContext context;
    private final ProducerTemplate template;

    DownstreamHooks(CamelContext context, ProducerTemplate template) {
        this.context = context;
        this.template = template;
    }

    /** The steps that have a hook now (flows reload, so asked per report). */
    Set<String> steps() {
        Set<String> steps = new TreeSet<>();
        for (Route route : context.getRoutes()) {
            String uri = route.getEndpoint().getEndpointBaseUri();
            if (route.getEndpoint() instanceof DirectEndpoint && uri.startsWith(DIRECT + PREFIX)) {
                steps.add(uri.substring(DIRECT.length() + PREFIX.length()));
            }
        }
        return steps;
    }

    /**
     * How many records the step's hook finds for the business id.
     *
     * @throws IllegalStateException when the hook fails or answers anything but a JSON array, with why
     */
    int effects(String step, String businessId, String idempotencyKey) {
        Exchange answer = template.send("direct:" + PREFIX + step, exchange -> {
            exchange.setProperty("businessId", businessId);
            exchange.setProperty("step", step);
            exchange.setProperty("idempotencyKey", idempotencyKey);
        });
        if (answer.getException() != null) {
            throw new IllegalStateException(answer.getException().getMessage(), answer.getException());
        }
        String body = answer.getMessage().getBody(String.class);
        JsonNode records;
        try {
            records = body == null ? null : HttpAnswers.MAPPER.readTree(body);
        } catch (IOException e) {
            records = null;
        }
        if (records == null || !records.isArray()) {
            throw new IllegalStateException("the hook answered no JSON array: " + abbreviate(body));
        }
        return records.size();
    }

    private static String abbreviate(String text) {
        return text == null ? "nothing" : text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
