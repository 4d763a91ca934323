package io.hookrail.ops;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.hookrail.ops.AdminTokens.AdminUser;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Admin users from configuration: required keys, roles, and the constant-time token lookup. */
class AdminTokensTest {

    private static AdminTokens tokens(Map<String, String> properties) {
        return AdminTokens.fromProperties(properties::get);
    }

    @Test
    void readsTheFourDefaultUsersWhenTheListIsUnset() {
        Map<String, String> properties = new HashMap<>(AdminTestUsers.properties());
        properties.remove("hookrail.admin.users");
        AdminTokens tokens = tokens(properties);
        assertEquals(List.of(new AdminUser("viewer", AdminRole.VIEWER), new AdminUser("operator", AdminRole.OPERATOR),
                new AdminUser("approver", AdminRole.APPROVER), new AdminUser("approver2", AdminRole.APPROVER)),
                tokens.users());
    }

    @Test
    void authenticatesEachUserByTokenOnly() {
        AdminTokens tokens = tokens(AdminTestUsers.properties());
        assertEquals("viewer", tokens.authenticate(AdminTestUsers.VIEWER).orElseThrow().name());
        assertEquals(AdminRole.OPERATOR, tokens.authenticate(AdminTestUsers.OPERATOR).orElseThrow().role());
        assertEquals("approver2", tokens.authenticate(AdminTestUsers.APPROVER2).orElseThrow().name());
        assertTrue(tokens.authenticate("wrong").isEmpty());
        assertTrue(tokens.authenticate("").isEmpty());
        assertTrue(tokens.authenticate(null).isEmpty());
        // neither a prefix nor an extension of a token, nor another case, is that token
        assertTrue(tokens.authenticate(AdminTestUsers.OPERATOR.substring(0, 10)).isEmpty());
        assertTrue(tokens.authenticate(AdminTestUsers.OPERATOR + "x").isEmpty());
        assertTrue(tokens.authenticate(AdminTestUsers.OPERATOR.toUpperCase()).isEmpty());
    }

    @Test
    void keepsOnlyDigestsOfTokens() {
        AdminTokens tokens = tokens(AdminTestUsers.properties());
        assertFalse(tokens.toString().contains(AdminTestUsers.OPERATOR));
        assertEquals(32, AdminTokens.sha256("any length at all").length);
    }

    @Test
    void aMissingTokenOrRoleStopsStartupNamingTheKey() {
        Map<String, String> properties = new HashMap<>(AdminTestUsers.properties());
        properties.remove("hookrail.admin.user.operator.token");
        assertEquals("hookrail.admin.user.operator.token is not set",
                assertThrows(IllegalArgumentException.class, () -> tokens(properties)).getMessage());

        Map<String, String> blank = new HashMap<>(AdminTestUsers.properties());
        blank.put("hookrail.admin.user.viewer.token", "  ");
        assertEquals("hookrail.admin.user.viewer.token is not set",
                assertThrows(IllegalArgumentException.class, () -> tokens(blank)).getMessage());

        Map<String, String> noRole = new HashMap<>(AdminTestUsers.properties());
        noRole.remove("hookrail.admin.user.approver.role");
        assertEquals("hookrail.admin.user.approver.role is not set",
                assertThrows(IllegalArgumentException.class, () -> tokens(noRole)).getMessage());

        // a user added to the list needs both keys too
        Map<String, String> extra = new HashMap<>(AdminTestUsers.properties());
        extra.put("hookrail.admin.users", "viewer,operator,approver,approver2,auditor");
        assertEquals("hookrail.admin.user.auditor.token is not set",
                assertThrows(IllegalArgumentException.class, () -> tokens(extra)).getMessage());
    }

    @Test
    void refusesUnknownRolesSharedTokensAndBadNames() {
        Map<String, String> badRole = new HashMap<>(AdminTestUsers.properties());
        badRole.put("hookrail.admin.user.viewer.role", "admin");
        String message = assertThrows(IllegalArgumentException.class, () -> tokens(badRole)).getMessage();
        assertTrue(message.startsWith("hookrail.admin.user.viewer.role: unknown admin role 'admin'"), message);

        Map<String, String> shared = new HashMap<>(AdminTestUsers.properties());
        shared.put("hookrail.admin.user.approver.token", AdminTestUsers.OPERATOR);
        message = assertThrows(IllegalArgumentException.class, () -> tokens(shared)).getMessage();
        assertTrue(message.contains("hookrail.admin.user.approver.token is the same token as "
                + "hookrail.admin.user.operator.token"), message);
        assertFalse(message.contains(AdminTestUsers.OPERATOR), "the token was echoed");

        Map<String, String> spaces = new HashMap<>(AdminTestUsers.properties());
        spaces.put("hookrail.admin.user.viewer.token", "has a space");
        message = assertThrows(IllegalArgumentException.class, () -> tokens(spaces)).getMessage();
        assertTrue(message.startsWith("hookrail.admin.user.viewer.token is not a valid bearer token"), message);
        assertFalse(message.contains("has a space"));

        Map<String, String> badName = new HashMap<>(AdminTestUsers.properties());
        badName.put("hookrail.admin.users", "viewer,op erator");
        assertThrows(IllegalArgumentException.class, () -> tokens(badName));

        Map<String, String> empty = new HashMap<>(AdminTestUsers.properties());
        empty.put("hookrail.admin.users", " , ");
        assertEquals("hookrail.admin.users is empty: configure at least one admin user",
                assertThrows(IllegalArgumentException.class, () -> tokens(empty)).getMessage());
    }

    @Test
    void rolesParseCaseInsensitively() {
        Map<String, String> properties = new HashMap<>(AdminTestUsers.properties());
        properties.put("hookrail.admin.user.operator.role", " Operator ");
        assertEquals(AdminRole.OPERATOR, tokens(properties).authenticate(AdminTestUsers.OPERATOR).orElseThrow().role());
        assertEquals("approver", AdminRole.APPROVER.id());
        assertEquals(3, AdminRole.anyRole().length);
    }

    @Test
    void knowsWhichUsersStillHaveDemoTokens() {
        assertEquals(List.of("approver2"), tokens(AdminTestUsers.properties()).usersWithDemoTokens());

        Map<String, String> demo = new HashMap<>();
        demo.put("hookrail.admin.user.viewer.token", "demo-viewer-token");
        demo.put("hookrail.admin.user.viewer.role", "viewer");
        demo.put("hookrail.admin.user.operator.token", "demo-operator-token");
        demo.put("hookrail.admin.user.operator.role", "operator");
        demo.put("hookrail.admin.user.approver.token", "demo-approver-token");
        demo.put("hookrail.admin.user.approver.role", "approver");
        demo.put("hookrail.admin.user.approver2.token", "demo-approver2-token");
        demo.put("hookrail.admin.user.approver2.role", "approver");
        assertEquals(List.of("viewer", "operator", "approver", "approver2"), tokens(demo).usersWithDemoTokens());
        assertEquals("HOOKRAIL_ADMIN_USER_OPERATOR_TOKEN", AdminTokens.tokenVariable("operator"));
        assertEquals("HOOKRAIL_ADMIN_USER_NIGHT_SHIFT_TOKEN", AdminTokens.tokenVariable("night-shift"));
    }
}
