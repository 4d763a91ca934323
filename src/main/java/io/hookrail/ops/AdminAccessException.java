package io.hookrail.ops;

/**
 * An admin request refused: 401 when it carries no valid bearer token, 403 when the token's user lacks the role.
 * The message is safe to answer and log: it never contains a token.
 */
public final class AdminAccessException extends Exception {

    private final int status;
    private final boolean invalidToken;

    private AdminAccessException(int status, String message, boolean invalidToken) {
        super(message, null, false, false);
        this.status = status;
        this.invalidToken = invalidToken;
    }

    /** 401: no {@code Authorization} header, or not a well-formed {@code Bearer} one. */
    public static AdminAccessException missingToken(String detail) {
        return new AdminAccessException(401, detail, false);
    }

    /** 401: a well-formed bearer token that belongs to no configured user. */
    public static AdminAccessException invalidToken() {
        return new AdminAccessException(401, "The bearer token is not valid", true);
    }

    /** 403: a valid token whose user does not have any of the required roles. */
    public static AdminAccessException forbidden(String user, AdminRole role, String required) {
        return new AdminAccessException(403, "User '" + user + "' has role " + role.id() + "; this needs "
                + required, false);
    }

    public int status() {
        return status;
    }

    /** The {@code WWW-Authenticate} challenge of a 401 (RFC 6750), or null for a 403. */
    public String challenge() {
        if (status != 401) {
            return null;
        }
        return invalidToken ? "Bearer realm=\"hookrail\", error=\"invalid_token\"" : "Bearer realm=\"hookrail\"";
    }
}
