// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/server/client.h"

#include "core/io/base64.h"
#include "core/io/png_io.h"
#include "core/server/result_codec.h"

#include <httplib.h>
#include <torch/torch.h>

namespace unclip::server {
namespace {

using nlohmann::json;

std::string message_of(const std::string& body, int status) {
    const json j = json::parse(body, nullptr, false);
    if (j.is_object() && j.contains("error") && j["error"].is_object() && j["error"].contains("message") &&
        j["error"]["message"].is_string())
        return j["error"]["message"].get<std::string>();
    return "HTTP " + std::to_string(status) + (body.empty() ? "" : ": " + body.substr(0, 200));
}

// A failed job's message as the exception type the pipeline would have thrown in-process.
[[noreturn]] void throw_failure(const json& data) {
    const std::string message = data.value("message", std::string("the job failed"));
    const std::string kind = data.value("kind", std::string("runtime"));
    if (kind == "request") throw RequestError(message);
    if (kind == "model") throw ModelError(message);
    throw Error(message);
}

pipeline::Progress progress_of(const json& d) {
    pipeline::Progress p;
    const std::string stage = d.value("stage", std::string());
    const auto parsed = pipeline::parse_stage(stage);
    if (!parsed) throw Error("the server reported progress in an unknown stage \"" + stage + "\"");
    p.stage = *parsed;
    p.step = d.value("step", 0);
    p.total = d.value("total", 0);
    return p;
}

torch::Tensor preview_of(const json& d) {
    std::vector<torch::Tensor> images;
    if (d.contains("images") && d["images"].is_array())
        for (const auto& b64 : d["images"]) {
            torch::Tensor hwc = io::decode_png(io::base64_decode(b64.get<std::string>(), "a preview"), "a preview");
            images.push_back(hwc.permute({2, 0, 1}).to(torch::kFloat32) / 255.0f);
        }
    return images.empty() ? torch::Tensor() : torch::stack(images);
}

}  // namespace

void SseParser::feed(const char* data, size_t size,
                     const std::function<void(const std::string& type, const std::string& data)>& on_event) {
    buffer_.append(data, size);
    size_t end;
    while ((end = buffer_.find("\n\n")) != std::string::npos) {
        const std::string block = buffer_.substr(0, end);
        buffer_.erase(0, end + 2);
        std::string type = "message", payload;
        bool any = false;
        size_t pos = 0;
        while (pos <= block.size()) {
            size_t nl = block.find('\n', pos);
            if (nl == std::string::npos) nl = block.size();
            const std::string line = block.substr(pos, nl - pos);
            pos = nl + 1;
            if (line.empty() || line[0] == ':') continue;
            const size_t colon = line.find(':');
            const std::string field = line.substr(0, colon);
            std::string value = colon == std::string::npos ? "" : line.substr(colon + 1);
            if (!value.empty() && value[0] == ' ') value.erase(0, 1);
            if (field == "event") type = value;
            if (field == "data") {
                payload += (any ? "\n" : "") + value;
                any = true;
            }
        }
        if (any) on_event(type, payload);
    }
}

struct Client::Impl {
    ClientOptions options;
    httplib::Client http;

    explicit Impl(ClientOptions o) : options(std::move(o)), http(options.url) {
        if (!http.is_valid()) throw ServerError(0, "'" + options.url + "' is not a server address (give http://HOST:PORT)");
        if (!options.token.empty()) http.set_bearer_token_auth(options.token.c_str());
        http.set_connection_timeout(options.connect_timeout_s, 0);
        http.set_read_timeout(options.read_timeout_s, 0);
        http.set_write_timeout(options.read_timeout_s, 0);
        http.set_keep_alive(true);
    }

    [[noreturn]] void unreachable(httplib::Error err, const std::string& what) const {
        throw ServerError(0, "cannot reach the server at " + options.url + " (" + what + "): " + httplib::to_string(err));
    }

    [[noreturn]] void answer_error(int status, const std::string& body) const {
        const std::string msg = message_of(body, status);
        if (status == 400) throw RequestError(msg);
        throw ServerError(status, "the server at " + options.url + " answered " + std::to_string(status) + ": " + msg);
    }

    // A plain request; returns the body of a 2xx answer.
    std::string call(const std::string& method, const std::string& path, const std::string& body = "") {
        httplib::Result r = method == "GET"      ? http.Get(path.c_str())
                            : method == "DELETE" ? http.Delete(path.c_str())
                                                 : http.Post(path.c_str(), body, "application/json");
        if (!r) unreachable(r.error(), method + " " + path);
        if (r->status < 200 || r->status >= 300) answer_error(r->status, r->body);
        return r->body;
    }

    // A streamed request (events): every event to `on_event`, which returns false to stop reading.
    // Returns false when reading was stopped by on_event or `stop`.
    bool stream(const std::string& method, const std::string& path, const std::string& body,
                const std::function<bool(const std::string&, const std::string&)>& on_event,
                const std::function<bool()>& stop) {
        httplib::Request req;
        req.method = method;
        req.path = path;
        if (method == "POST") {
            req.body = body;
            req.set_header("Content-Type", "application/json");
        }
        req.set_header("Accept", "text/event-stream");
        int status = 0;
        std::string error_body;
        SseParser parser;
        bool stopped = false;
        req.response_handler = [&](const httplib::Response& res) {
            status = res.status;
            return true;
        };
        req.content_receiver = [&](const char* data, size_t n, uint64_t, uint64_t) {
            if (status != 200) {
                error_body.append(data, n);
                return error_body.size() < (1u << 20);
            }
            bool keep = true;
            parser.feed(data, n, [&](const std::string& type, const std::string& payload) {
                if (keep && !on_event(type, payload)) keep = false;
            });
            if (keep && stop && stop()) keep = false;
            stopped = !keep;
            return keep;
        };
        httplib::Response res;
        httplib::Error err = httplib::Error::Success;
        const bool ok = http.send(req, res, err);
        if (stopped) return false;
        if (status != 0 && status != 200) answer_error(status, error_body);
        if (!ok) unreachable(err, method + " " + path);
        return true;
    }
};

Client::Client(ClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Client::~Client() = default;

const std::string& Client::url() const { return impl_->options.url; }

json Client::info() {
    const json j = json::parse(impl_->call("GET", "/v1/info"), nullptr, false);
    if (!j.is_object()) throw ServerError(0, "the server at " + url() + " sent an unreadable /v1/info");
    return j;
}

bool Client::healthy() {
    try {
        impl_->call("GET", "/v1/health");
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

std::string Client::submit_json(const std::string& body, bool previews) {
    const json j = json::parse(impl_->call("POST", std::string("/v1/jobs") + (previews ? "?previews=1" : ""), body), nullptr, false);
    if (!j.is_object() || !j.contains("id") || !j["id"].is_string())
        throw ServerError(0, "the server at " + url() + " sent no job id");
    return j["id"].get<std::string>();
}

std::string Client::submit(const pipeline::AnyRequest& request, bool previews) {
    return submit_json(pipeline::to_json(request).dump(), previews);
}

Event Client::follow(const std::string& id, const std::function<void(const Event&)>& on_event, const pipeline::CancelToken* cancel) {
    Event last;
    bool cancel_sent = false;
    auto stop = [&] {
        if (cancel && cancel->cancelled() && !cancel_sent) {
            cancel_sent = true;
            this->cancel(id);  // the server then ends the stream with "cancelled"
        }
        return false;
    };
    impl_->stream("GET", "/v1/jobs/" + id + "/events", "",
                  [&](const std::string& type, const std::string& payload) {
                      Event e{type, json::parse(payload, nullptr, false)};
                      if (on_event) on_event(e);
                      if (is_terminal_event(type)) {
                          last = e;
                          return false;
                      }
                      return true;
                  },
                  stop);
    if (last.type.empty()) throw ServerError(0, "the server at " + url() + " closed job " + id + "'s events before its end");
    return last;
}

Output Client::result(const std::string& id) {
    return result_from_safetensors(impl_->call("GET", "/v1/jobs/" + id + "/result?format=safetensors"));
}

void Client::cancel(const std::string& id) {
    // A connection of its own: cancel comes while another request (follow) holds the client's.
    Impl fresh(impl_->options);
    fresh.call("DELETE", "/v1/jobs/" + id);
}

Output Client::run(const pipeline::AnyRequest& request, const pipeline::RunControl& control) {
    const std::string body = pipeline::to_json(request).dump();
    std::string path = "/v1/run?format=safetensors";
    if (control.want_previews) path += "&previews=1";
    json end, result;
    std::string end_type;
    const bool finished = impl_->stream(
        "POST", path, body,
        [&](const std::string& type, const std::string& payload) {
            json data = json::parse(payload, nullptr, false);
            if (type == "progress" && control.on_progress) {
                control.on_progress(progress_of(data));
            } else if (type == "preview" && control.on_progress) {
                pipeline::Progress p = progress_of(data);
                p.preview = preview_of(data);
                control.on_progress(p);
            } else if (is_terminal_event(type)) {
                end_type = type;
                end = data;
                return type == "done";  // a result follows only a successful end
            } else if (type == "result") {
                result = std::move(data);
                return false;
            }
            return true;
        },
        [&] { return control.cancel && control.cancel->cancelled(); });
    if (control.cancel && control.cancel->cancelled() && result.is_null()) throw Cancelled();
    if (end_type == "cancelled") throw Cancelled();
    if (end_type == "failed") throw_failure(end);
    if (!result.is_object() || !result.contains("safetensors") || !result["safetensors"].is_string())
        throw ServerError(0, "the server at " + url() + (finished ? " ended the run without a result" : " sent no result"));
    return result_from_safetensors(io::base64_decode(result["safetensors"].get<std::string>(), "the server's result"));
}

}  // namespace unclip::server
