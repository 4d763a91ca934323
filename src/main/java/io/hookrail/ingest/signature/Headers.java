package io.hookrail.ingest.signature;

/** Reads the headers a scheme requires. */
final class Headers {

    private Headers() {
    }

    /**
     * Returns the trimmed value of a required header.
     *
     * @throws InvalidSignatureException "missing {name} header" when absent or blank
     */
    static String require(Delivery delivery, String name) throws InvalidSignatureException {
        String value = delivery.header(name);
        // A blank header carries no signature material, so it is as good as missing.
        if (value == null || value.isBlank()) {
            throw new InvalidSignatureException("missing " + name + " header");
        }
        return value.trim();
    }
}
