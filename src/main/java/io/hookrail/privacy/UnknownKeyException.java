package io.hookrail.privacy;

import java.util.Set;

/** A value encrypted under a key id that {@code hookrail.crypto.keys} no longer (or never) listed. */
public final class UnknownKeyException extends IllegalStateException {

    public UnknownKeyException(String keyId, Set<String> known) {
        super("value encrypted under key id '" + keyId + "', which hookrail.crypto.keys does not list (it lists "
                + known + "): keep every key that encrypted stored data listed until that data is purged");
    }
}
