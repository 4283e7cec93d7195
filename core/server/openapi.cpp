// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/server/openapi.h"

#include "core/pipeline/requests.h"

namespace unclip::server {
namespace {

using nlohmann::json;

json ref(const std::string& name) { return {{"$ref", "#/components/schemas/" + name}}; }

json error_responses(std::initializer_list<int> codes) {
    json out = json::object();
    static const std::map<int, std::string> text = {
        {400, "Malformed JSON, a wrong type, an unknown field, an unknown mode, bad base64 or PNG, a mask of the wrong size, or a value over a cap; the message names the field"},
        {401, "Missing or wrong bearer token"},
        {404, "No such job (or endpoint)"},
        {409, "The job has not finished, failed or was cancelled"},
        {413, "Request body over the server's limit"},
        {429, "Queue full: retry later (Retry-After)"},
        {503, "The server is shutting down"}};
    for (int c : codes) out[std::to_string(c)] = {{"description", text.at(c)}, {"content", {{"application/json", {{"schema", ref("Error")}}}}}};
    return out;
}

json sampling_schema() {
    return {{"type", "object"},
            {"additionalProperties", false},
            {"properties",
             {{"seed", {{"type", "integer"}, {"minimum", 0}}},
              {"prior_steps", {{"type", "integer"}, {"default", 25}}},
              {"decoder_steps", {{"type", "integer"}, {"default", 25}}},
              {"super_res_steps", {{"type", "integer"}, {"default", 7}}},
              {"prior_guidance", {{"type", "number"}, {"default", 4.0}}},
              {"decoder_guidance", {{"type", "number"}, {"default", 8.0}}},
              {"width", {{"type", "integer"}, {"default", 0}, {"description", "Kandinsky 2.2: picture width (0 = the model's)"}}},
              {"height", {{"type", "integer"}, {"default", 0}, {"description", "Kandinsky 2.2: picture height (0 = the model's)"}}}}}};
}

json request_schema() {
    const json png = {{"type", "string"}, {"format", "byte"}, {"description", "base64 PNG"}};
    const json endpoint = {{"type", "object"},
                           {"description", "exactly one of image and text"},
                           {"properties", {{"image", png}, {"text", {{"type", "string"}}}}}};
    json kinds = json::array();
    for (const auto& k : pipeline::request_kinds()) kinds.push_back(k);
    return {{"type", "object"},
            {"description", "One request of any mode; the fields that apply to its mode (docs/api.md). Unknown fields are refused. "
                            "A picture's recipe (PNG text chunk 'unclip-recipe') is a valid request once its pictures are added."},
            {"required", {"mode"}},
            {"properties",
             {{"version", {{"type", "integer"}, {"enum", {pipeline::kRequestFormatVersion}}}},
              {"mode", {{"type", "string"}, {"enum", kinds}}},
              {"prompts", {{"type", "array"}, {"items", {{"type", "string"}}}, {"description", "text2img, upscale"}}},
              {"negative_prompt", {{"type", "string"}}},
              {"images_per_prompt", {{"type", "integer"}, {"default", 1}}},
              {"best_of", {{"type", "integer"}, {"default", 1}}},
              {"stop_after_decoder", {{"type", "boolean"}, {"description", "text2img: quick candidates at the decoder's size"}}},
              {"candidate", {{"type", "integer"}, {"description", "upscale: which candidate"}}},
              {"decoder_output", {{"type", "string"}, {"format", "byte"}, {"description", "upscale: base64 safetensors with tensor 'decoder_output' [N,3,h,w]"}}},
              {"image", png},
              {"mask", {{"type", "string"}, {"format", "byte"}, {"description", "inpaint: base64 PNG of the image's size, white = regenerate"}}},
              {"num_images", {{"type", "integer"}, {"default", 1}}},
              {"structure_strength", {{"type", "number"}, {"default", 0}}},
              {"a", endpoint},
              {"b", endpoint},
              {"positions", {{"type", "array"}, {"items", {{"type", "number"}}}}},
              {"smooth", {{"type", "boolean"}, {"default", true}}},
              {"description", {{"type", "string"}}},
              {"target", {{"type", "string"}}},
              {"theta", {{"type", "number"}, {"default", 0.5}}},
              {"prompt", {{"type", "string"}}},
              {"feather", {{"type", "number"}, {"default", 0}}},
              {"resample_jumps", {{"type", "integer"}, {"default", 0}}},
              {"frame", {{"type", "array"}, {"items", {{"type", "integer"}}}, {"minItems", 4}, {"maxItems", 4},
                         {"description", "inpaint: [x, y, width, height] in canvas pixels; absent = automatic"}}},
              {"context", {{"type", "integer"}, {"default", pipeline::kDefaultFrameContext}}},
              {"images", {{"type", "array"}, {"items", png}, {"description", "score"}}},
              {"texts", {{"type", "array"}, {"items", {{"type", "string"}}}, {"description", "score"}}},
              {"items", {{"type", "array"}, {"items", endpoint}, {"description", "mix: the pictures and texts to mix"}}},
              {"weights", {{"type", "array"}, {"items", {{"type", "number"}}}, {"description", "mix: one weight per item"}}},
              {"sampling", ref("Sampling")}}}};
}

json json_body(const json& schema) { return {{"content", {{"application/json", {{"schema", schema}}}}}}; }

}  // namespace

json openapi_document() {
    const json id_param = {{"name", "id"}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}};
    const json previews = {{"name", "previews"}, {"in", "query"}, {"schema", {{"type", "string"}, {"enum", {"0", "1"}}}},
                           {"description", "1: add preview events with the predicted picture"}};
    const json sse = {{"description", "Server-Sent Events: queued, started, progress {stage, step, total}, preview, then one of done, failed {message}, cancelled"},
                      {"content", {{"text/event-stream", {{"schema", {{"type", "string"}}}}}}}};
    json doc;
    doc["openapi"] = "3.0.3";
    doc["info"] = {{"title", "unclip serve"},
                   {"version", "1"},
                   {"description", "unCLIP inference: one loaded model, a FIFO job queue with one runner. "
                                   "Bearer token required when the server listens beyond loopback (docs/api.md)."}};
    doc["components"]["securitySchemes"]["bearer"] = {{"type", "http"}, {"scheme", "bearer"}};
    doc["security"] = json::array({{{"bearer", json::array()}}});
    doc["components"]["schemas"] = {
        {"Sampling", sampling_schema()},
        {"Request", request_schema()},
        {"Error", {{"type", "object"}, {"properties", {{"error", {{"type", "object"}, {"properties", {{"status", {{"type", "integer"}}}, {"message", {{"type", "string"}}}}}}}}}}},
        {"Result", {{"type", "object"},
                    {"properties", {{"recipe", {{"type", "object"}}},
                                    {"images", {{"type", "array"}, {"items", {{"type", "string"}, {"format", "byte"}}}, {"description", "base64 PNGs with the recipe in text chunk 'unclip-recipe'"}}},
                                    {"frame", {{"type", "array"}, {"items", {{"type", "integer"}}}}},
                                    {"frame_scale", {{"type", "number"}}},
                                    {"scores", {{"type", "array"}, {"items", {{"type", "array"}, {"items", {{"type", "number"}}}}}}}}}}}};
    json& p = doc["paths"];
    p["/v1/health"]["get"] = {{"summary", "200 while serving, 503 while stopping (no token needed)"},
                              {"security", json::array()},
                              {"responses", {{"200", {{"description", "serving"}}}, {"503", {{"description", "stopping"}}}}}};
    p["/v1/info"]["get"] = {{"summary", "Version, LibTorch, device, precision, model, modes that can run (and what the others lack), limits"},
                            {"responses", {{"200", {{"description", "server information"}}}}}};
    p["/v1/openapi.json"]["get"] = {{"summary", "This document"}, {"responses", {{"200", {{"description", "OpenAPI 3"}}}}}};
    json submit_responses = error_responses({400, 401, 413, 429, 503});
    submit_responses["202"] = {{"description", "queued: {id, state}"}};
    p["/v1/jobs"]["post"] = {{"summary", "Queue a job"},
                             {"parameters", {previews}},
                             {"requestBody", json_body(ref("Request"))},
                             {"responses", submit_responses}};
    json status_responses = error_responses({401, 404});
    status_responses["200"] = {{"description", "{id, state, message?}"}};
    p["/v1/jobs/{id}"]["get"] = {{"summary", "A job's state"}, {"parameters", {id_param}}, {"responses", status_responses}};
    json cancel_responses = error_responses({401, 404});
    cancel_responses["202"] = {{"description", "cancel requested: a queued job ends at once, a running one within one model call"}};
    p["/v1/jobs/{id}"]["delete"] = {{"summary", "Cancel a job"}, {"parameters", {id_param}}, {"responses", cancel_responses}};
    json events_responses = error_responses({400, 401, 404});
    events_responses["200"] = sse;
    p["/v1/jobs/{id}/events"]["get"] = {
        {"summary", "The job's events from the start (or from index 'from' / Last-Event-ID + 1)"},
        {"parameters", {id_param, {{"name", "from"}, {"in", "query"}, {"schema", {{"type", "integer"}}}}}},
        {"responses", events_responses}};
    json result_responses = error_responses({400, 401, 404, 409});
    result_responses["200"] = {{"description", "json: Result; png: image 'image' as a PNG; safetensors: float tensors images, decoder_output, image_embeddings, scores with the recipe in the metadata"},
                               {"content", {{"application/json", {{"schema", ref("Result")}}},
                                            {"image/png", {{"schema", {{"type", "string"}, {"format", "binary"}}}}},
                                            {"application/octet-stream", {{"schema", {{"type", "string"}, {"format", "binary"}}}}}}}};
    p["/v1/jobs/{id}/result"]["get"] = {
        {"summary", "A finished job's result"},
        {"parameters", {id_param,
                        {{"name", "format"}, {"in", "query"}, {"schema", {{"type", "string"}, {"enum", {"json", "png", "safetensors"}}}}},
                        {{"name", "image"}, {"in", "query"}, {"schema", {{"type", "integer"}}}}}},
        {"responses", result_responses}};
    json run_responses = error_responses({400, 401, 413, 429, 503});
    run_responses["200"] = {{"description", "The job's events as for /events, then event 'result' (data: Result, or {safetensors: base64} with format=safetensors). Closing the connection cancels the job."},
                            {"content", {{"text/event-stream", {{"schema", {{"type", "string"}}}}}}}};
    p["/v1/run"]["post"] = {{"summary", "Run one request in one streamed response; no state is kept (any load balancer can spread these)"},
                            {"parameters", {previews, {{"name", "format"}, {"in", "query"}, {"schema", {{"type", "string"}, {"enum", {"json", "safetensors"}}}}}}},
                            {"requestBody", json_body(ref("Request"))},
                            {"responses", run_responses}};
    return doc;
}

}  // namespace unclip::server
