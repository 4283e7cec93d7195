// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/server/server.h"

#include "core/common/error.h"
#include "core/common/torch_setup.h"
#include "core/io/base64.h"
#include "core/pipeline/warm_up.h"
#include "core/server/job_queue.h"
#include "core/server/openapi.h"
#include "core/server/result_codec.h"

#include <httplib.h>

#include <arpa/inet.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

namespace unclip::server {

bool is_loopback_host(const std::string& host) {
    if (host == "localhost" || host == "::1" || host == "[::1]") return true;
    in_addr a{};
    return ::inet_pton(AF_INET, host.c_str(), &a) == 1 && (ntohl(a.s_addr) >> 24) == 127;
}

bool constant_time_equal(const std::string& a, const std::string& b) {
    // Compare every byte of the longer string whatever the contents, so timing shows nothing but
    // the length of what the client sent.
    const size_t n = std::max(a.size(), b.size());
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    for (size_t i = 0; i < n; ++i) {
        const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
        const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
        diff |= static_cast<unsigned char>(x ^ y);
    }
    return diff == 0;
}

namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kJson = "application/json";

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

void send_error(httplib::Response& res, int status, const std::string& message) {
    res.status = status;
    res.set_content(dump({{"error", {{"status", status}, {"message", message}}}}), kJson);
}

std::string sse(const Event& e, size_t index) {
    return "id: " + std::to_string(index) + "\nevent: " + e.type + "\ndata: " + dump(e.data) + "\n\n";
}

}  // namespace

struct Server::Impl {
    pipeline::UnclipPipeline& pipeline;
    ServerOptions options;
    httplib::Server http;
    JobQueue queue;
    std::atomic<bool> stopping{false};
    std::atomic<bool> serving{false};
    std::atomic<int> open_streams{0};  // event streams whose response has not been released yet
    int port = 0;

    Impl(pipeline::UnclipPipeline& pl, ServerOptions o)
        : pipeline(pl),
          options(std::move(o)),
          queue([this](const pipeline::AnyRequest& r, const pipeline::RunControl& c) { return run_observed(r, c); },
                options.limits.max_queue, options.limits.keep_finished,
                options.warm_up ? JobQueue::WarmUp([this](const pipeline::CancelToken& c) { warm_up(c); })
                                : JobQueue::WarmUp()) {}

    void warm_up(const pipeline::CancelToken& cancel) {
        const auto start = std::chrono::steady_clock::now();
        try {
            const pipeline::WarmUpResult r = pipeline::warm_up(pipeline, &cancel);
            const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            char secs[32];
            std::snprintf(secs, sizeof secs, "%.2f", s);
            log(std::string("warm-up ") + pipeline::warm_up_result_name(r) + " (" + secs + " s)");
        } catch (const std::exception& e) {
            // Out of memory at the warm-up's shapes: the jobs will say so themselves.
            std::string message = e.what();  // LibTorch's: the first line, not the backtrace
            if (auto nl = message.find('\n'); nl != std::string::npos) message.resize(nl);
            log("warm-up failed: " + message);
        }
    }

    Output run_observed(const pipeline::AnyRequest& r, const pipeline::RunControl& c) {
        if (!options.on_progress) return run_request(pipeline, r, c);
        pipeline::RunControl observed = c;
        observed.on_progress = [this, &c](const pipeline::Progress& p) {
            options.on_progress(p);
            if (c.on_progress) c.on_progress(p);
        };
        return run_request(pipeline, r, observed);
    }

    void log(const std::string& line) const {
        if (options.log) options.log(line);
    }

    json info() const {
        json model = {{"model_dir", pipeline.options().model_dir},
                      {"image_encoder_dir", pipeline.options().image_encoder_dir},
                      {"decoder_dir", pipeline.options().decoder_dir},
                      {"inpaint_dir", pipeline.options().inpaint_dir},
                      {"family", pipeline::family_name(pipeline.family())},
                      {"sampling_defaults", pipeline::to_json(pipeline::default_sampling(pipeline.family()))},
                      {"image_size", pipeline.image_size()},
                      {"decoder_size", pipeline.decoder_size()}};
        const Limits& l = options.limits;
        return {{"api", "v1"},
                {"version", options.version},
                {"libtorch", torch_build_summary()},
                {"device", pipeline.options().device.str()},
                {"precision", dtype_name(pipeline.options().dtype)},
                {"model", model},
                {"modes", capabilities(pipeline)},
                {"limits",
                 {{"max_body_bytes", l.max_body_bytes},
                  {"max_pixels", l.max_pixels},
                  {"max_prompt_chars", l.max_prompt_chars},
                  {"max_batch", l.max_batch},
                  {"max_steps", l.max_steps},
                  {"max_queue", l.max_queue}}},
                {"queue", queue.pending()}};
    }

    // Parses, caps and checks a request body; throws RequestError naming the field.
    pipeline::AnyRequest parse(const std::string& body) const {
        pipeline::ParseOptions po;
        po.mode = pipeline::ParseMode::Request;
        po.max_pixels = options.limits.max_pixels;
        pipeline::AnyRequest r = pipeline::parse_request(body, po);
        check_limits(r, options.limits);
        const std::string kind = pipeline::request_kind(r);
        const std::string missing = missing_for_kind(pipeline, kind);
        bool can_run = missing.empty();
        // Interpolating between texts needs no image encoder (see UnclipPipeline::interpolate).
        if (!can_run && kind == "interpolate") {
            const auto& ir = std::get<pipeline::InterpolationRequest>(r);
            can_run = !ir.a.image.defined() && !ir.b.image.defined() && missing == "image_encoder, feature_extractor";
        }
        if (!can_run)
            throw RequestError("field 'mode': this server's model cannot run '" + kind + "': it lacks " + missing);
        return r;
    }

    // Submits, answering 4xx itself when the job cannot be taken; nullptr then.
    std::shared_ptr<Job> submit(const httplib::Request& req, httplib::Response& res, bool listed) {
        if (stopping) {
            send_error(res, 503, "the server is shutting down and takes no new jobs");
            return nullptr;
        }
        pipeline::AnyRequest request;
        try {
            request = parse(req.body);
        } catch (const RequestError& e) {
            send_error(res, 400, e.what());
            return nullptr;
        }
        const bool previews = req.get_param_value("previews") == "1" || req.get_param_value("previews") == "true";
        try {
            return queue.submit(std::move(request), previews, listed);
        } catch (const JobQueue::QueueFull& e) {
            res.set_header("Retry-After", "5");
            send_error(res, 429, e.what());
        } catch (const JobQueue::ShuttingDown& e) {
            send_error(res, 503, e.what());
        }
        return nullptr;
    }

    std::shared_ptr<Job> job_or_404(const httplib::Request& req, httplib::Response& res) {
        auto job = queue.find(req.matches[1]);
        if (!job) send_error(res, 404, "no job '" + std::string(req.matches[1]) + "' (unknown, or finished long ago and forgotten)");
        return job;
    }

    // Streams a job's events as Server-Sent Events from index `from`; `after_end` writes what follows
    // the last event (the result of /v1/run). `on_abort` runs when the client goes away first.
    void stream(httplib::Response& res, std::shared_ptr<Job> job, size_t from,
                std::function<std::string()> after_end, std::function<void()> on_abort) {
        res.set_header("Cache-Control", "no-cache");
        res.set_header("X-Accel-Buffering", "no");  // nginx: pass events on as they come
        auto next = std::make_shared<size_t>(from);
        auto idle = std::make_shared<int>(0);
        res.set_chunked_content_provider(
            "text/event-stream",
            [this, job, next, idle, after_end](size_t, httplib::DataSink& sink) {
                const std::vector<Event> events = job->events_from(*next, 250ms);
                for (const Event& e : events) {
                    const std::string text = sse(e, (*next)++);
                    if (!sink.write(text.data(), text.size())) return false;
                    if (is_terminal_event(e.type)) {
                        if (after_end) {
                            const std::string tail = after_end();
                            if (!tail.empty() && !sink.write(tail.data(), tail.size())) return false;
                        }
                        sink.done();
                        return true;
                    }
                }
                if (events.empty() && ++*idle % 4 == 0) {
                    // A comment line about every second: keeps proxies from timing out and finds a
                    // client that has gone (the write fails).
                    static const std::string ping = ": ping\n\n";
                    if (!sink.write(ping.data(), ping.size())) return false;
                }
                // Also while stopping: the job's last event (cancelled) is still to be sent.
                return true;
            },
            [this, job, on_abort](bool success) {
                if (!success && on_abort) on_abort();
                --open_streams;
            });
        ++open_streams;
    }

    void routes() {
        http.Get("/v1/health", [this](const httplib::Request&, httplib::Response& res) {
            if (stopping) return send_error(res, 503, "stopping");
            res.set_content(dump({{"status", "ok"}, {"queue", queue.pending()}}), kJson);
        });
        http.Get("/v1/info", [this](const httplib::Request&, httplib::Response& res) { res.set_content(dump(info()), kJson); });
        http.Get("/v1/openapi.json",
                 [](const httplib::Request&, httplib::Response& res) { res.set_content(openapi_document().dump(2), kJson); });
        http.Post("/v1/jobs", [this](const httplib::Request& req, httplib::Response& res) {
            auto job = submit(req, res, true);
            if (!job) return;
            res.status = 202;
            res.set_header("Location", "/v1/jobs/" + job->id());
            res.set_content(dump({{"id", job->id()}, {"state", state_name(job->state())}}), kJson);
            log("job " + job->id() + " queued");
        });
        http.Get(R"(/v1/jobs/([0-9a-f-]{1,64}))", [this](const httplib::Request& req, httplib::Response& res) {
            auto job = job_or_404(req, res);
            if (!job) return;
            json j = {{"id", job->id()}, {"state", state_name(job->state())}};
            if (job->state() == JobState::Failed) j["message"] = job->failure();
            res.set_content(dump(j), kJson);
        });
        http.Get(R"(/v1/jobs/([0-9a-f-]{1,64})/events)", [this](const httplib::Request& req, httplib::Response& res) {
            auto job = job_or_404(req, res);
            if (!job) return;
            size_t from = 0;
            const std::string f = req.has_param("from") ? req.get_param_value("from") : req.get_header_value("Last-Event-ID");
            if (!f.empty()) {
                if (f.find_first_not_of("0123456789") != std::string::npos || f.size() > 9)
                    return send_error(res, 400, "parameter 'from' must be an event index (a non-negative integer)");
                from = std::stoul(f) + (req.has_param("from") ? 0 : 1);
            }
            stream(res, job, from, nullptr, nullptr);
        });
        http.Get(R"(/v1/jobs/([0-9a-f-]{1,64})/result)", [this](const httplib::Request& req, httplib::Response& res) {
            auto job = job_or_404(req, res);
            if (!job) return;
            switch (job->state()) {
            case JobState::Queued:
            case JobState::Running:
                return send_error(res, 409, "job '" + job->id() + "' has not finished: follow /v1/jobs/" + job->id() + "/events");
            case JobState::Failed: return send_error(res, 409, "job '" + job->id() + "' failed: " + job->failure());
            case JobState::Cancelled: return send_error(res, 409, "job '" + job->id() + "' was cancelled");
            case JobState::Done: break;
            }
            const auto out = job->output();
            const std::string format = req.has_param("format") ? req.get_param_value("format") : "json";
            if (format == "safetensors") return res.set_content(result_to_safetensors(*out), "application/octet-stream");
            if (format == "png") {
                const std::string i = req.get_param_value("image");
                const int64_t n = out->result.images.defined() ? out->result.images.size(0) : 0;
                if (i.empty() || i.size() > 6 || i.find_first_not_of("0123456789") != std::string::npos || std::stoll(i) >= n)
                    return send_error(res, 400, "parameter 'image' must be an image index 0.." + std::to_string(n - 1));
                return res.set_content(result_png(*out, std::stoll(i)), "image/png");
            }
            if (format != "json") return send_error(res, 400, "parameter 'format' must be json, png or safetensors");
            res.set_content(dump(result_to_json(*out)), kJson);
        });
        http.Delete(R"(/v1/jobs/([0-9a-f-]{1,64}))", [this](const httplib::Request& req, httplib::Response& res) {
            auto job = job_or_404(req, res);
            if (!job) return;
            job->cancel();
            res.status = 202;
            // "events": how many events the job had once its cancel flag was set; at most the step
            // then running reports after it.
            res.set_content(dump({{"id", job->id()}, {"state", state_name(job->state())}, {"events", job->event_count()}}), kJson);
            log("job " + job->id() + " cancel requested");
        });
        http.Post("/v1/run", [this](const httplib::Request& req, httplib::Response& res) {
            const std::string format = req.has_param("format") ? req.get_param_value("format") : "json";
            if (format != "json" && format != "safetensors")
                return send_error(res, 400, "parameter 'format' must be json or safetensors");
            auto job = submit(req, res, false);
            if (!job) return;
            auto tail = [job, format]() -> std::string {
                auto out = job->output();
                if (!out) return "";
                const json data = format == "safetensors" ? json{{"safetensors", io::base64_encode(result_to_safetensors(*out))}}
                                                          : result_to_json(*out);
                return "event: result\ndata: " + dump(data) + "\n\n";
            };
            // Closing the connection cancels: the job is this response's alone.
            stream(res, job, 0, tail, [job] { job->cancel(); });
        });
    }

    void configure() {
        const Limits& l = options.limits;
        http.new_task_queue = [] { return new httplib::ThreadPool(32); };
        http.set_payload_max_length(l.max_body_bytes);
        http.set_read_timeout(l.read_timeout_s, 0);
        http.set_write_timeout(l.write_timeout_s, 0);
        http.set_keep_alive_timeout(std::min(5, l.read_timeout_s));
        http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
            if (options.token.empty() || req.path == "/v1/health") return httplib::Server::HandlerResponse::Unhandled;
            const std::string auth = req.get_header_value("Authorization");
            const std::string prefix = "Bearer ";
            const bool ok = auth.size() > prefix.size() && auth.compare(0, prefix.size(), prefix) == 0 &&
                            constant_time_equal(auth.substr(prefix.size()), options.token);
            if (ok) return httplib::Server::HandlerResponse::Unhandled;
            res.set_header("WWW-Authenticate", "Bearer");
            send_error(res, 401, auth.empty() ? "this server needs a token: send 'Authorization: Bearer TOKEN'"
                                              : "the token is wrong");
            return httplib::Server::HandlerResponse::Handled;
        });
        http.set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
            if (!res.body.empty()) return;
            switch (res.status) {
            case 404: return send_error(res, 404, "no endpoint " + req.method + " " + req.path + " (see /v1/openapi.json)");
            case 413:
                return send_error(res, 413, "the request body is over this server's limit of " +
                                                std::to_string(options.limits.max_body_bytes) + " bytes");
            case 400: return send_error(res, 400, "the HTTP request is malformed");
            default: return send_error(res, res.status, "HTTP error " + std::to_string(res.status));
            }
        });
        http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
            std::string msg = "internal error";
            try {
                if (ep) std::rethrow_exception(ep);
            } catch (const std::exception& e) {
                msg = e.what();
            } catch (...) {
            }
            send_error(res, 500, msg);
        });
        http.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
            log(req.method + " " + req.path + " " + std::to_string(res.status));
        });
        routes();
    }
};

Server::Server(pipeline::UnclipPipeline& pipeline, ServerOptions options) {
    if (!is_loopback_host(options.host) && options.token.empty())
        throw RequestError("listening on " + options.host +
                           " (not loopback) needs a token: give --token TOKEN or set UNCLIP_SERVER_TOKEN");
    impl_ = std::make_unique<Impl>(pipeline, std::move(options));
    impl_->configure();
}

Server::~Server() {
    stop();
}

int Server::bind() {
    const auto& o = impl_->options;
    const int port = o.port == 0 ? impl_->http.bind_to_any_port(o.host) : (impl_->http.bind_to_port(o.host, o.port) ? o.port : -1);
    if (port < 0)
        throw Error("cannot listen on " + o.host + ":" + std::to_string(o.port) +
                    " (address in use, or not an address of this machine)");
    impl_->port = port;
    return port;
}

void Server::serve() {
    impl_->serving = true;
    if (!impl_->stopping) impl_->http.listen_after_bind();
    impl_->serving = false;
}

void Server::stop() {
    if (!impl_ || impl_->stopping.exchange(true)) return;
    impl_->queue.shutdown();  // every job ends (cancelled), so every event stream can close
    // httplib's stop() cuts responses mid-stream: first let each stream send its job's last event
    // and end (a client that stopped reading is not waited for long).
    for (int i = 0; i < 400 && impl_->open_streams > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    // serve() may be between its start and listening: httplib's stop() only stops a running loop.
    for (int i = 0; i < 200 && impl_->serving && !impl_->http.is_running(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    impl_->http.stop();
}

nlohmann::json Server::info() const { return impl_->info(); }
int Server::port() const { return impl_->port; }

}  // namespace unclip::server
