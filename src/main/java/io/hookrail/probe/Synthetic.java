package io.hookrail.probe;

/**
 * How a synthetic event (a probe's, {@link SyntheticProbes}) is marked, so every system on its way can tell it from a
 * real one: its business id starts with {@value #BUSINESS_ID_PREFIX}, and every downstream call of its run carries
 * {@value #HEADER}{@code : true}. Flows count no KPI for it; the sandbox answers it without a ledger entry.
 */
public final class Synthetic {

    /** The reserved prefix of a synthetic event's business id. */
    public static final String BUSINESS_ID_PREFIX = "SYNTHETIC-";
    /** The header of every downstream call a synthetic event's run makes. */
    public static final String HEADER = "Hookrail-Synthetic";

    private Synthetic() {
    }

    /** Whether the business id is a synthetic event's. */
    public static boolean isSynthetic(String businessId) {
        return businessId != null && businessId.startsWith(BUSINESS_ID_PREFIX);
    }
}
