package io.hookrail.quality;

/** A rule an event failed, and why, in words an operator can act on. */
public record DataQualityFailure(String rule, String reason) {

    @Override
    public String toString() {
        return rule + ": " + reason;
    }
}
