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

    /**
     * Returns the value of a required header exactly as received, not trimmed: for a value that is signed and also
     * used as a key elsewhere, so that what is verified and what is used are the same string.
     *
     * @throws InvalidSignatureException "missing {name} header" when absent or blank
     */
    static String requireExact(Delivery delivery, String name) throws InvalidSignatureException {
        String value = delivery.header(name);
        if (value == null || value.isBlank()) {
            throw new InvalidSignatureException("missing " + name + " header");
        }
        return value;
    }
}
