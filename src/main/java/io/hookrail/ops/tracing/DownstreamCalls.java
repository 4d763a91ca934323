package io.hookrail.ops.tracing;

import org.apache.camel.Exchange;

/** The name of a downstream call's span. */
final class DownstreamCalls {

    private DownstreamCalls() {
    }

    /** {@code POST erp}: the method and the system the flow step calls; the method alone outside a step. */
    static String name(String method, Exchange exchange) {
        String system = exchange.getProperty(EventAttributes.SYSTEM_PROPERTY, String.class);
        return system == null ? method : method + " " + system;
    }
}
