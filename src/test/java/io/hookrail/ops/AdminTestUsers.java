package io.hookrail.ops;

import java.util.LinkedHashMap;
import java.util.Map;

import io.hookrail.support.HookrailInstance;

/**
 * The four admin users of DESIGN section 3, set explicitly for tests. Three have tokens of the tests' own (so a test
 * can prove a token never reaches the log); approver2 keeps its published demo token (so a test can see the warning).
 */
public final class AdminTestUsers {

    public static final String VIEWER = "test-viewer-token-5c1d8e";
    public static final String OPERATOR = "test-operator-token-0b7f3a";
    public static final String APPROVER = "test-approver-token-9e24c6";
    public static final String APPROVER2 = "demo-approver2-token";

    private AdminTestUsers() {
    }

    public static Map<String, String> properties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("hookrail.admin.users", "viewer,operator,approver,approver2");
        user(properties, "viewer", VIEWER, "viewer");
        user(properties, "operator", OPERATOR, "operator");
        user(properties, "approver", APPROVER, "approver");
        user(properties, "approver2", APPROVER2, "approver");
        return properties;
    }

    public static HookrailInstance.Builder apply(HookrailInstance.Builder builder) {
        properties().forEach(builder::property);
        return builder;
    }

    private static void user(Map<String, String> properties, String name, String token, String role) {
        properties.put("hookrail.admin.user." + name + ".token", token);
        properties.put("hookrail.admin.user." + name + ".role", role);
    }
}
