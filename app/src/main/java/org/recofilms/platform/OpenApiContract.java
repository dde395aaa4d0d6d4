package org.recofilms.platform;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Makes /q/openapi say every answer the API gives, as checked by schemathesis (ContractTest):
 * <ul>
 *   <li>every error status an operation can answer, each with the {@code Error} body
 *       ({@code {error, detail}}): 400 where it takes parameters or a body, 401 and 403 on operator
 *       endpoints, 404 where a path names a resource, 413 and 415 where it takes a body, 414 and 500
 *       everywhere; statuses a resource declares itself (503) get the body when they have none;
 *   <li>the records' properties as required (Jackson writes every component, null or not) unless a
 *       schema lists its own, and a {@code JsonNode} as any JSON value.
 * </ul>
 * Parameter ranges, nullable fields and the bodies with no Java type (the ratings list) are declared
 * where they are defined: on the resources, on the records, in META-INF/openapi.yaml.
 */
public class OpenApiContract implements OASFilter {

    static final String ERROR = "#/components/schemas/Error";

    private static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
            Map.entry("400", "Bad parameter or body: the detail names it"),
            Map.entry("401", "Operator endpoint called without the X-API-Key header"),
            Map.entry("403", "Operator key refused, or none configured"),
            Map.entry("404", "No such resource"),
            Map.entry("413", "Request body larger than reco.http.max-body-size"),
            Map.entry("414", "Request URI longer than reco.http.max-uri-length"),
            Map.entry("415", "Body not sent as application/json"),
            Map.entry("500", "A fault of the server; the detail is in its log"),
            Map.entry("503", "A service the answer needs (database, Kafka) is unavailable"));

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() != null && openAPI.getPaths().getPathItems() != null) {
            openAPI.getPaths().getPathItems().forEach((path, item) -> {
                for (Map.Entry<PathItem.HttpMethod, Operation> e :
                        item.getOperations().entrySet()) {
                    declareErrors(path, e.getValue());
                }
            });
        }
        if (openAPI.getComponents() != null && openAPI.getComponents().getSchemas() != null) {
            Map<String, Schema> schemas = openAPI.getComponents().getSchemas();
            if (schemas.containsKey("JsonNode")) {
                openAPI.getComponents()
                        .addSchema("JsonNode", OASFactory.createSchema().description("any JSON value"));
                openAPI.getComponents().removeSchema("JsonNodeType");
            }
            openAPI.getComponents().getSchemas().values().forEach(OpenApiContract::requireEveryProperty);
        }
    }

    private static void declareErrors(String path, Operation operation) {
        APIResponses responses = operation.getResponses();
        if (responses == null) {
            responses = OASFactory.createAPIResponses();
            operation.setResponses(responses);
        }
        boolean parameters =
                operation.getParameters() != null && !operation.getParameters().isEmpty();
        boolean body = operation.getRequestBody() != null;
        boolean secured =
                operation.getSecurity() != null && !operation.getSecurity().isEmpty();
        List<String> codes = new ArrayList<>();
        if (parameters || body) {
            codes.add("400");
        }
        if (secured) {
            codes.add("401");
            codes.add("403");
        }
        if (path.contains("{")) {
            codes.add("404");
        }
        if (body) {
            codes.add("413");
            codes.add("415");
        }
        codes.add("414");
        codes.add("500");
        for (String code : codes) {
            if (responses.getAPIResponse(code) == null) {
                responses.addAPIResponse(code, OASFactory.createAPIResponse().description(DESCRIPTIONS.get(code)));
            }
        }
        if (secured) {
            responses
                    .getAPIResponse("401")
                    .addHeader(
                            "WWW-Authenticate",
                            OASFactory.createHeader()
                                    .description("the scheme to use: " + OperatorKeyMechanism.SCHEME)
                                    .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING)));
        }
        for (Map.Entry<String, APIResponse> e : responses.getAPIResponses().entrySet()) {
            String code = e.getKey();
            APIResponse response = e.getValue();
            if ((code.startsWith("4") || code.startsWith("5")) && empty(response.getContent())) {
                if (response.getDescription() == null
                        || response.getDescription().startsWith("Not ")) {
                    response.setDescription(DESCRIPTIONS.getOrDefault(code, response.getDescription()));
                }
                response.setContent(OASFactory.createContent()
                        .addMediaType(
                                "application/json",
                                OASFactory.createMediaType()
                                        .schema(OASFactory.createSchema().ref(ERROR))));
            }
        }
    }

    private static boolean empty(Content content) {
        return content == null
                || content.getMediaTypes() == null
                || content.getMediaTypes().isEmpty();
    }

    private static void requireEveryProperty(Schema schema) {
        if (schema.getProperties() != null
                && !schema.getProperties().isEmpty()
                && (schema.getRequired() == null || schema.getRequired().isEmpty())) {
            schema.setRequired(new ArrayList<>(schema.getProperties().keySet()));
        }
    }
}
