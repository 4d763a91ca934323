package io.hookrail.ops;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.hookrail.ops.AdminTokens.AdminUser;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards the admin routes: a request must carry {@code Authorization: Bearer <token>} of a configured user
 * ({@link AdminTokens}) whose role is one of those the route allows.
 * <p>
 * Bound as bean {@value #BEAN} by {@link AdminConfiguration}. A route uses it like this:
 * <pre>{@code
 * from("platform-http:/api/things?httpMethodRestrict=GET")
 *     .onException(AdminAccessException.class).handled(true).process(AdminAccess::answerRefusal).end()
 *     .process(CorrelationIds::assign)
 *     .process(access.allowing(AdminRole.anyRole()))
 *     ...
 * }</pre>
 * The authenticated user's name is then in exchange property {@value #USER_PROPERTY}.
 */
public final class AdminAccess {

    public static final String BEAN = "adminAccess";
    /** Exchange property with the authenticated user's name. */
    public static final String USER_PROPERTY = "adminUser";
    /** Exchange property with the authenticated user's {@link AdminRole}. */
    public static final String ROLE_PROPERTY = "adminRole";
    public static final String AUTHORIZATION_HEADER = "Authorization";
    public static final String CHALLENGE_HEADER = "WWW-Authenticate";

    private static final Logger LOG = LoggerFactory.getLogger(AdminAccess.class);
    // the scheme is case-insensitive (RFC 9110); one token in RFC 6750 b64token syntax
    private static final Pattern BEARER = Pattern.compile("(?i:bearer) +(" + AdminTokens.TOKEN_SYNTAX.pattern() + ") *");
    private static final int MAX_HEADER_LENGTH = 4096;
    /** Query parameter names (stripped, lower case) refused on admin routes; names starting with camel are too. */
    private static final java.util.Set<String> QUERY_LOOKALIKES = java.util.Set.of("authorization");

    private final AdminTokens tokens;

    public AdminAccess(AdminTokens tokens) {
        this.tokens = tokens;
    }

    public AdminTokens tokens() {
        return tokens;
    }

    /**
     * Authenticates the request and checks its user has one of the allowed roles; records the user in exchange
     * properties {@value #USER_PROPERTY} and {@value #ROLE_PROPERTY}.
     *
     * @throws AdminAccessException 401 or 403
     */
    public AdminUser require(Exchange exchange, AdminRole... allowed) throws AdminAccessException {
        if (allowed == null || allowed.length == 0) {
            throw new IllegalArgumentException("name at least one role");
        }
        // from the request's own headers: platform-http copies query parameters into Camel headers, so an
        // ?Authorization=... would otherwise read as the header (and leak the token into access logs and history)
        if (HttpRequests.reservedQueryParameter(exchange, QUERY_LOOKALIKES) != null) {
            throw AdminAccessException.missingToken("An Authorization query parameter is refused: send the token in the "
                    + "Authorization header");
        }
        io.vertx.core.http.HttpServerRequest request = HttpRequests.request(exchange);
        Object header;
        if (request != null) {
            List<String> values = request.headers().getAll(AUTHORIZATION_HEADER);
            header = values.isEmpty() ? null : values.size() == 1 ? values.get(0) : values;
        } else {
            header = exchange.getMessage().getHeader(AUTHORIZATION_HEADER);
        }
        AdminUser user = authenticate(header);
        exchange.setProperty(USER_PROPERTY, user.name());
        exchange.setProperty(ROLE_PROPERTY, user.role());
        if (Arrays.stream(allowed).noneMatch(role -> role == user.role())) {
            String required = Arrays.stream(allowed).map(AdminRole::id).collect(Collectors.joining(" or "));
            LOG.info("Admin request {} {} refused: user '{}' ({}) lacks role {}", method(exchange),
                    exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class), user.name(), user.role().id(),
                    required);
            throw AdminAccessException.forbidden(user.name(), user.role(), required);
        }
        return user;
    }

    /** A processor that {@link #require requires} one of the roles. */
    public Processor allowing(AdminRole... allowed) {
        AdminRole[] roles = allowed.clone();
        if (roles.length == 0) {
            throw new IllegalArgumentException("name at least one role");
        }
        return exchange -> require(exchange, roles);
    }

    /**
     * The user of an {@code Authorization} header value.
     *
     * @throws AdminAccessException 401
     */
    public AdminUser authenticate(Object header) throws AdminAccessException {
        if (header == null) {
            throw AdminAccessException.missingToken("This needs an Authorization: Bearer <token> header");
        }
        if (!(header instanceof String value) || value.length() > MAX_HEADER_LENGTH) {
            // e.g. the header sent twice: platform-http makes a list of it
            throw AdminAccessException.missingToken("The Authorization header is not a single Bearer token");
        }
        Matcher bearer = BEARER.matcher(value.strip());
        if (!bearer.matches()) {
            throw AdminAccessException.missingToken("The Authorization header is not a single Bearer token");
        }
        return tokens.authenticate(bearer.group(1)).orElseThrow(AdminAccessException::invalidToken);
    }

    /**
     * The {@code onException} processor of admin routes: answers an {@link AdminAccessException} as 401 (with
     * {@code WWW-Authenticate}) or 403 problem+json.
     *
     * @return false when the exchange's exception is something else, which the caller must then answer
     */
    public static boolean answerRefusal(Exchange exchange) {
        AdminAccessException refusal = caught(exchange);
        if (refusal == null) {
            return false;
        }
        boolean unauthenticated = refusal.status() == 401;
        if (unauthenticated) {
            LOG.info("Admin request {} {} refused: {}", method(exchange),
                    exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class), refusal.getMessage());
        }
        Message answer = HttpAnswers.problem(exchange, refusal.status(),
                unauthenticated ? "unauthorized" : "forbidden",
                unauthenticated ? "Authentication required" : "Role not allowed",
                refusal.getMessage(), null);
        if (refusal.challenge() != null) {
            answer.setHeader(CHALLENGE_HEADER, refusal.challenge());
        }
        return true;
    }

    /** The {@link AdminAccessException} an exchange failed with, or null. */
    public static AdminAccessException caught(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure == null) {
            failure = exchange.getException();
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof AdminAccessException refusal) {
                return refusal;
            }
        }
        return null;
    }

    private static String method(Exchange exchange) {
        String method = exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class);
        return method == null ? "" : method.toUpperCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "AdminAccess" + List.copyOf(tokens.users());
    }
}
