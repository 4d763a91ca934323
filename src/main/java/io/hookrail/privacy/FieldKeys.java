package io.hookrail.privacy;

import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys of field encryption, by key id: every key listed decrypts, the active one encrypts. Written
 * {@code <id>:<base64 of 32 bytes>,<id2>:<...>} ({@code hookrail.crypto.keys}); rotation adds a key and makes it
 * active, and rows written under an older key still decrypt while that key stays listed.
 */
public final class FieldKeys {

    /** Bytes of an AES-256 key. */
    public static final int KEY_BYTES = 32;
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_.-]{1,32}");

    private final Map<String, SecretKey> keys;
    private final String activeId;

    private FieldKeys(Map<String, SecretKey> keys, String activeId) {
        this.keys = Collections.unmodifiableMap(keys);
        this.activeId = activeId;
    }

    /**
     * Parses the key list; the active id, when blank, is the last key listed.
     *
     * @throws IllegalArgumentException naming the problem: a malformed entry, a key id used twice, a key that is not
     *                                  32 bytes of base64, or an active id that is not listed
     */
    public static FieldKeys parse(String list, String activeId) {
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        String last = null;
        for (String entry : list == null ? new String[0] : list.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int colon = entry.indexOf(':');
            String id = colon < 0 ? "" : entry.substring(0, colon).trim();
            if (!KEY_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("hookrail.crypto.keys: each entry is <id>:<base64 key>, the id of 1 to"
                        + " 32 letters, digits, '.', '_' or '-'");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(entry.substring(colon + 1).trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("hookrail.crypto.keys: key " + id + " is not base64");
            }
            if (key.length != KEY_BYTES) {
                throw new IllegalArgumentException("hookrail.crypto.keys: key " + id + " has " + key.length
                        + " bytes, AES-256 needs " + KEY_BYTES);
            }
            if (keys.put(id, new SecretKeySpec(key, "AES")) != null) {
                throw new IllegalArgumentException("hookrail.crypto.keys: key id " + id + " is listed twice");
            }
            last = id;
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("hookrail.crypto.keys lists no key");
        }
        String active = activeId == null || activeId.isBlank() ? last : activeId.trim();
        if (!keys.containsKey(active)) {
            throw new IllegalArgumentException("hookrail.crypto.activeKeyId " + active
                    + " is not one of the keys in hookrail.crypto.keys " + keys.keySet());
        }
        return new FieldKeys(keys, active);
    }

    public String activeId() {
        return activeId;
    }

    SecretKey active() {
        return keys.get(activeId);
    }

    /** The key of this id; an id not listed is an {@link UnknownKeyException}. */
    SecretKey key(String id) {
        SecretKey key = keys.get(id);
        if (key == null) {
            throw new UnknownKeyException(id, keys.keySet());
        }
        return key;
    }
}
