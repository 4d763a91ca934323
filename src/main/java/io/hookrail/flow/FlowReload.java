package io.hookrail.flow;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.TemplatedRouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.ResourceReload;
import org.apache.camel.support.PluginHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Swaps in the routes of one changed flow file, leaving every other route running. Camel's own reaction
 * ({@code RouteWatcherReloadStrategy}, Camel 4.17) does not fit: it either removes every route, the Java ones
 * included, or replaces the file's plain routes one by one while the entry goes on consuming, so a run could start
 * on one version's entry and go on in the next version's steps; and it never re-creates templated routes, so a
 * flow's entry (the {@code flow-entry} template, which carries the version) would keep its old version.
 * <p>
 * Here the new file is parsed first (a broken file changes nothing), then the flow's entry routes are stopped: a
 * graceful stop lets every run in flight finish, since a run goes through its steps routes synchronously inside the
 * entry's JMS transaction, and no new message is taken meanwhile (it waits on its queue). Only then are the file's
 * old routes removed and its new ones added and started. An entry that does not drain within
 * {@code camel.main.shutdownTimeout} is not stopped: the reload is abandoned and the old version keeps running.
 */
final class FlowReload implements ResourceReload {

    private static final Logger LOG = LoggerFactory.getLogger(FlowReload.class);

    /** The template parameter naming the route a Kamelet's route was made for (Camel's DefaultModel). */
    private static final String PARENT_ROUTE_ID = "parentRouteId";

    private final CamelContext context;

    FlowReload(CamelContext context) {
        this.context = context;
    }

    @Override
    public synchronized void onReload(String name, Resource resource) throws Exception {
        RouteBuilder routes = parse(resource);
        if (routes == null) {
            return;
        }
        Set<String> entries = new LinkedHashSet<>();
        routes.getTemplatedRouteCollection().getTemplatedRoutes().stream()
                .map(TemplatedRouteDefinition::getRouteId).forEach(entries::add);
        Set<String> replaced = new LinkedHashSet<>(entries);
        routes.getRouteCollection().getRoutes().forEach(route -> replaced.add(route.getRouteId()));
        // routes the file had and no longer has go too
        context.getRoutes().stream().filter(route -> sameFile(route, resource)).map(Route::getRouteId)
                .forEach(replaced::add);

        long timeout = context.getShutdownStrategy().getTimeout();
        TimeUnit unit = context.getShutdownStrategy().getTimeUnit();
        List<String> stopped = new ArrayList<>();
        for (String entry : entries) {
            if (context.getRoute(entry) == null) {
                continue;
            }
            if (!context.getRouteController().stopRoute(entry, timeout, unit, true)) {
                LOG.error("Flow file {} not reloaded: route {} still had runs in flight after {} {}; the version "
                        + "before keeps running", name, entry, timeout, unit);
                for (String again : stopped) {
                    context.getRouteController().startRoute(again);
                }
                return;
            }
            stopped.add(entry);
        }
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        List<RouteDefinition> before = replaced.stream().map(model::getRouteDefinition).filter(Objects::nonNull)
                .toList();
        // the routes the downstream-call Kamelet made for the old routes go with them; the new routes get their own
        Set<String> kamelets = kameletRoutesOf(model, replaced);
        remove(replaced);
        try {
            context.addRoutes(routes);
            context.addTemplatedRoutes(routes);
        } catch (Exception e) {
            // e.g. a bean the new version names does not exist: back to the version before
            LOG.error("Flow file {} not reloaded, the version before is restored: {}", name, e.getMessage());
            remove(replaced);
            remove(kameletRoutesOf(model, replaced));
            model.addRouteDefinitions(before);
            return;
        }
        remove(kamelets);
        LOG.info("Flow file {} reloaded: routes {}", name, replaced);
    }

    private static Set<String> kameletRoutesOf(Model model, Set<String> parents) {
        Set<String> kamelets = new LinkedHashSet<>();
        model.getRouteDefinitions().stream().filter(route -> Boolean.TRUE.equals(route.isKamelet())
                && route.getTemplateParameters() != null
                && parents.contains(route.getTemplateParameters().get(PARENT_ROUTE_ID)))
                .forEach(route -> kamelets.add(route.getRouteId()));
        return kamelets;
    }

    private void remove(Set<String> ids) throws Exception {
        for (String id : ids) {
            if (context.getRoute(id) != null) {
                context.getRouteController().stopRoute(id);
                context.removeRoute(id);
            }
        }
    }

    /** The file's routes, configured but not yet added; null (and logged) when the file is not a valid flow file. */
    private RouteBuilder parse(Resource resource) {
        try {
            RoutesBuilder builder = PluginHelper.getRoutesLoader(context).findRoutesBuilders(List.of(resource))
                    .stream().findFirst().orElse(null);
            if (!(builder instanceof RouteBuilder routes)) {
                LOG.error("Flow file {} not reloaded: it holds no routes", resource.getLocation());
                return null;
            }
            routes.configureRoutes(context);
            if (routes.getRouteCollection().getRoutes().isEmpty()
                    && routes.getTemplatedRouteCollection().getTemplatedRoutes().isEmpty()) {
                // an empty or half-saved file would otherwise remove the flow
                LOG.error("Flow file {} not reloaded: it holds no routes", resource.getLocation());
                return null;
            }
            return routes;
        } catch (Exception e) {
            LOG.error("Flow file {} not reloaded, the version before keeps running: {}", resource.getLocation(),
                    e.getMessage());
            return null;
        }
    }

    private static boolean sameFile(Route route, Resource resource) {
        Resource source = route.getSourceResource();
        return source != null && source.getURI().equals(resource.getURI());
    }
}
