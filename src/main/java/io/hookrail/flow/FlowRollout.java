package io.hookrail.flow;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.ops.HttpAnswers;

/**
 * Which version of a flow new runs start on: its stable version, and a candidate beside it that takes a share of
 * them (a canary, by a stable hash of the business id, so one entity's runs all go the same way), or none while it
 * runs in the shadow of the stable version on copies of its runs; all of them once promoted, none once rolled back.
 * A run that started stays on its version (the step journal records it).
 *
 * @param share     percent of new runs the candidate takes while it is a canary, 0 to 100
 * @param mode      how the candidate was configured to run before a promotion or a rollback
 * @param startedAt when this rollout began: the rollout monitor compares the versions' runs since
 * @param reason    why the rollout is in its state, for a promotion or a rollback
 */
public record FlowRollout(String flow, String stableVersion, String candidateVersion, int share, Mode mode,
                          State state, String reason, Instant startedAt) {

    /** How a candidate runs. */
    public enum Mode {
        /** On its share of live runs. */
        CANARY,
        /** On copies of the stable version's completed runs, against the sandbox only (parity report). */
        SHADOW
    }

    /** Where a rollout stands. */
    public enum State {
        /** No candidate: every new run starts on the stable version. */
        STABLE,
        /** The candidate takes its share of new runs. */
        CANARY,
        /** The candidate takes no live run; it runs on copies of the stable version's. */
        SHADOW,
        /** The candidate takes every new run. */
        PROMOTED,
        /** The candidate takes no new run. */
        ROLLED_BACK
    }

    /** No candidate version. */
    static final String NONE = "";

    public FlowRollout {
        if (share < 0 || share > 100) {
            throw new IllegalArgumentException("the candidate's share of flow " + flow + " is a percentage from 0 to"
                    + " 100, not " + share);
        }
    }

    /** The version a new run of this business id starts on. */
    public String versionFor(String businessId) {
        return switch (state) {
            case STABLE, SHADOW, ROLLED_BACK -> stableVersion;
            case PROMOTED -> candidateVersion;
            case CANARY -> bucket(businessId) < share ? candidateVersion : stableVersion;
        };
    }

    /** Whether the rollout is configured the same (flow, versions, share, mode): its state then survives a restart. */
    boolean sameConfiguration(FlowRollout other) {
        return flow.equals(other.flow) && stableVersion.equals(other.stableVersion)
                && candidateVersion.equals(other.candidateVersion) && share == other.share && mode == other.mode;
    }

    FlowRollout withState(State newState, String newReason) {
        return new FlowRollout(flow, stableVersion, candidateVersion, share, mode, newState, newReason, startedAt);
    }

    /**
     * The business id's bucket, 0 to 99: the first four bytes of its SHA-256, so the same on every instance, every
     * restart and every Java version (unlike {@link String#hashCode()} spread over a small range).
     */
    static int bucket(String businessId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(businessId.getBytes(StandardCharsets.UTF_8));
            long value = ((digest[0] & 0xFFL) << 24) | ((digest[1] & 0xFFL) << 16) | ((digest[2] & 0xFFL) << 8)
                    | (digest[3] & 0xFFL);
            return (int) (value % 100);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    ObjectNode toJson() {
        ObjectNode json = HttpAnswers.MAPPER.createObjectNode()
                .put("flow", flow)
                .put("stableVersion", stableVersion)
                .put("state", state.name().toLowerCase(java.util.Locale.ROOT))
                .put("startedAt", startedAt.toString());
        if (!NONE.equals(candidateVersion)) {
            json.put("candidateVersion", candidateVersion).put("share", share)
                    .put("mode", mode.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (reason != null) {
            json.put("reason", reason);
        }
        return json;
    }
}
