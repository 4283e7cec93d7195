// SPDX-License-Identifier: GPL-3.0-or-later
// `unclip serve` and its client on loopback, on the golden models: every mode gives bit-identical
// pictures to the in-process pipeline for the same request and seed (through /v1/run, through jobs,
// and as PNGs); events arrive in order with every step; cancel mid-decoder ends within one model
// call and the next job runs; jobs from two clients run in submission order; bad requests each get
// their specific 4xx and message and leave the server healthy; SIGTERM-style stop ends cleanly.
#include "core/common/error.h"
#include "core/io/base64.h"
#include "core/io/png_io.h"
#include "core/server/openapi.h"
#include "core/server/job_queue.h"
#include "core/server/result_codec.h"
#include "tests/support/loopback_server.h"

#include <httplib.h>
#include <torch/torch.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <mutex>

using namespace unclip;
using namespace unclip::pipeline;
using nlohmann::json;

namespace {

Sampling fast(uint64_t seed) {
    Sampling s;
    s.seed = seed;
    s.prior_steps = 3;
    s.decoder_steps = 4;
    s.super_res_steps = 2;
    return s;
}

torch::Tensor image(const char* name) { return io::read_png(test::golden_path(std::string("cases/") + name + ".png")); }

// The in-process reference: a pipeline of its own, as the editor's "This computer" runs it.
UnclipPipeline& local() {
    static auto p = test::load_golden_pipeline();
    return *p;
}

test::LoopbackServer* g_shared_server = nullptr;

test::LoopbackServer& shared_server() {
    static test::LoopbackServer s;
    g_shared_server = &s;
    return s;
}

// Stops the shared server (its threads joined) when the cases have run, before the statics its
// handlers read are destroyed at exit (ThreadSanitizer sees that order as a race otherwise).
struct StopSharedServer : doctest::IReporter {
    explicit StopSharedServer(const doctest::ContextOptions&) {}
    void test_run_end(const doctest::TestRunStats&) override {
        if (g_shared_server) g_shared_server->stop();
    }
    void report_query(const doctest::QueryData&) override {}
    void test_run_start() override {}
    void test_case_start(const doctest::TestCaseData&) override {}
    void test_case_reenter(const doctest::TestCaseData&) override {}
    void test_case_end(const doctest::CurrentTestCaseStats&) override {}
    void test_case_exception(const doctest::TestCaseException&) override {}
    void subcase_start(const doctest::SubcaseSignature&) override {}
    void subcase_end() override {}
    void log_assert(const doctest::AssertData&) override {}
    void log_message(const doctest::MessageData&) override {}
    void test_case_skipped(const doctest::TestCaseData&) override {}
};
DOCTEST_REGISTER_LISTENER("stop-shared-server", 1, StopSharedServer);

bool same(const torch::Tensor& a, const torch::Tensor& b) {
    if (!a.defined() || !b.defined()) return a.defined() == b.defined();
    return a.sizes() == b.sizes() && a.scalar_type() == b.scalar_type() && torch::equal(a, b);
}

void expect_identical(const server::Output& remote, const Result& in_process, bool compare_recipe = true) {
    EXPECT_MSG(same(remote.result.images, in_process.images), "images differ");
    EXPECT_MSG(same(remote.result.decoder_output, in_process.decoder_output), "decoder output differs");
    EXPECT_MSG(same(remote.result.image_embeddings, in_process.image_embeddings), "image embeddings differ");
    EXPECT(remote.result.frame.has_value() == in_process.frame.has_value());
    if (remote.result.frame && in_process.frame) {
        EXPECT(*remote.result.frame == *in_process.frame);
        EXPECT_EQ(remote.result.frame_scale, in_process.frame_scale);
    }
    if (compare_recipe) EXPECT_EQ(remote.result.recipe.dump(), in_process.recipe.dump());
}

// Through the job API: submit, follow to the end, fetch the result.
server::Output via_jobs(server::Client& c, const AnyRequest& r) {
    const std::string id = c.submit(r);
    const server::Event end = c.follow(id, nullptr);
    REQUIRE(end.type == "done");
    return c.result(id);
}

torch::Tensor rect_mask(const torch::Tensor& img) {
    const int64_t h = img.size(0), w = img.size(1);
    torch::Tensor m = torch::zeros({h, w});
    m.slice(0, h / 4, h / 2 + 1).slice(1, w / 4, w / 2 + 1).fill_(1.0f);
    return m;
}

// A plain HTTP call with the raw answer (status and body), for the refusal checks.
struct Raw {
    int status = 0;
    std::string body;
    std::string message() const {
        json j = json::parse(body, nullptr, false);
        return j.is_object() && j.contains("error") ? j["error"].value("message", std::string()) : body;
    }
};

Raw raw(int port, const std::string& method, const std::string& path, const std::string& body = "",
        const std::string& token = "") {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(30, 0);
    httplib::Headers h;
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    httplib::Result r = method == "GET"      ? c.Get(path.c_str(), h)
                        : method == "DELETE" ? c.Delete(path.c_str(), h)
                                             : c.Post(path.c_str(), h, body, "application/json");
    Raw out;
    if (r) {
        out.status = r->status;
        out.body = r->body;
    }
    return out;
}

std::string b64png(const torch::Tensor& hwc) { return io::base64_encode(io::encode_png(hwc)); }

// A raw TCP connection, for clients that misbehave below HTTP.
int connect_to(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

}  // namespace

TEST_CASE("info names the version, LibTorch, device, precision, model and the modes that can run") {
    auto c = shared_server().client();
    const json info = c->info();
    EXPECT_EQ(info.value("api", std::string()), std::string("v1"));
    EXPECT(info.contains("libtorch") && info["libtorch"].get<std::string>().find("LibTorch") != std::string::npos);
    EXPECT_EQ(info.value("device", std::string()), std::string("cpu"));
    EXPECT_EQ(info.value("precision", std::string()), std::string("float32"));
    EXPECT_EQ(info["model"].value("image_size", 0), local().image_size());
    for (const auto& kind : request_kinds()) EXPECT_MSG(info["modes"][kind].value("available", false), kind);
    EXPECT(c->healthy());
}

TEST_CASE("info lists what a model without an image encoder lacks, and such a server refuses those modes") {
    PipelineOptions po;
    po.model_dir = test::golden_path("models/unclip-text2img");
    auto pl = UnclipPipeline::load(po);
    server::ServerOptions so;
    so.port = 0;
    server::Server srv(*pl, so);
    const int port = srv.bind();
    std::thread t([&] { srv.serve(); });
    const json info = srv.info();
    EXPECT(info["modes"]["text2img"].value("available", false));
    EXPECT(!info["modes"]["variation"].value("available", true));
    EXPECT(info["modes"]["variation"].value("missing", std::string()).find("image_encoder") != std::string::npos);
    for (int i = 0; i < 200 && raw(port, "GET", "/v1/health").status != 200; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    const Raw r = raw(port, "POST", "/v1/jobs", json{{"mode", "variation"}, {"image", b64png(image("img_a"))}}.dump());
    EXPECT_EQ(r.status, 400);
    EXPECT_MSG(r.message().find("cannot run 'variation'") != std::string::npos, r.message());
    srv.stop();
    t.join();
}

TEST_CASE("text to image (negative prompt, batch, best-of) through /v1/run is bit-identical to in-process") {
    TextToImageRequest r;
    r.prompts = {"a red fox", "a blue house"};
    r.negative_prompt = "blurry";
    r.images_per_prompt = 2;
    r.best_of = 2;
    r.sampling = fast(11);
    auto c = shared_server().client();
    expect_identical(c->run(r), local().text_to_image(r));
    expect_identical(via_jobs(*c, r), local().text_to_image(r));
}

TEST_CASE("quick candidates and the upscale of one are bit-identical to in-process") {
    TextToImageRequest r;
    r.prompts = {"a lighthouse"};
    r.images_per_prompt = 3;
    r.stop_after_decoder = true;
    r.sampling = fast(5);
    auto c = shared_server().client();
    const server::Output remote_candidates = c->run(r);
    const Result candidates = local().text_to_image(r);
    expect_identical(remote_candidates, candidates);
    UpscaleRequest u;
    u.request = r;
    u.decoder_output = remote_candidates.result.decoder_output;
    u.candidate = 2;
    const server::Output up = c->run(u);
    const Result local_up = local().upscale_candidate(r, candidates, 2);
    // The upscale request carries the candidates' decoder output only (not their embeddings).
    EXPECT(same(up.result.images, local_up.images));
    EXPECT_EQ(up.result.recipe.value("candidate", -1), 2);
}

TEST_CASE("variations (plain and keeping structure) are bit-identical to in-process") {
    auto c = shared_server().client();
    for (float structure : {0.0f, 0.5f}) {
        VariationRequest r;
        r.image = image("img_a");
        r.num_images = 2;
        r.structure_strength = structure;
        r.sampling = fast(3);
        expect_identical(via_jobs(*c, r), local().variations(r));
    }
}

TEST_CASE("interpolation (image to image, text to image) is bit-identical to in-process") {
    auto c = shared_server().client();
    InterpolationRequest r;
    r.a.image = image("img_a");
    r.b.image = image("img_b");
    r.positions = {0.0f, 0.5f, 1.0f};
    r.sampling = fast(9);
    expect_identical(c->run(r), local().interpolate(r));
    r.a = Endpoint{};
    r.a.text = "a sunrise";
    r.smooth = false;
    expect_identical(via_jobs(*c, r), local().interpolate(r));
}

TEST_CASE("text diff is bit-identical to in-process") {
    TextDiffRequest r;
    r.image = image("img_c");
    r.description = "a house";
    r.target = "a castle";
    r.theta = 0.4f;
    r.sampling = fast(2);
    expect_identical(shared_server().client()->run(r), local().text_diff(r));
}

TEST_CASE("inpaint (automatic frame, explicit frame, prompt or not) is bit-identical to in-process") {
    auto c = shared_server().client();
    InpaintRequest r;
    r.image = image("img_a");
    r.mask = rect_mask(r.image);
    r.prompt = "a hat";
    r.feather = 1.5f;
    r.num_images = 2;
    r.sampling = fast(4);
    expect_identical(c->run(r), local().inpaint(r));
    r.prompt.clear();
    r.frame = Frame{-3, 2, r.image.size(1) / 2 + 4, r.image.size(0) / 2 + 4};
    expect_identical(via_jobs(*c, r), local().inpaint(r));
}

TEST_CASE("score is identical to in-process") {
    ScoreRequest r;
    r.images = {image("img_a"), image("img_b")};
    r.texts = {"a fox", "a house", "a cat"};
    const server::Output out = shared_server().client()->run(r);
    EXPECT(same(out.scores, local().score(r.images, r.texts)));
}

TEST_CASE("the JSON result's PNGs are the in-process pictures, with their recipe") {
    TextToImageRequest r;
    r.prompts = {"a tree"};
    r.images_per_prompt = 2;
    r.sampling = fast(21);
    auto c = shared_server().client();
    const std::string id = c->submit(r);
    REQUIRE(c->follow(id, nullptr).type == "done");
    const Raw res = raw(shared_server().port(), "GET", "/v1/jobs/" + id + "/result");
    REQUIRE(res.status == 200);
    const json j = json::parse(res.body);
    const Result in_process = local().text_to_image(r);
    REQUIRE(j["images"].size() == static_cast<size_t>(in_process.images.size(0)));
    for (size_t i = 0; i < j["images"].size(); ++i) {
        std::map<std::string, std::string> text;
        const torch::Tensor png = io::decode_png(io::base64_decode(j["images"][i].get<std::string>(), "image"), "image", &text);
        const torch::Tensor expected =
            (in_process.images[static_cast<int64_t>(i)].clamp(0, 1) * 255.0f).round().to(torch::kUInt8).permute({1, 2, 0});
        EXPECT(torch::equal(png, expected));
        // The PNG's recipe is a request that re-runs it.
        auto recipe = recipe_from_png_text(text);
        REQUIRE(recipe.has_value());
        EXPECT_EQ(recipe->value("index", -1), static_cast<int>(i));
        const AnyRequest again = request_from_json(*recipe);
        EXPECT(same(local().text_to_image(std::get<TextToImageRequest>(again)).images, in_process.images));
    }
    // One image as a PNG file.
    const Raw one = raw(shared_server().port(), "GET", "/v1/jobs/" + id + "/result?format=png&image=1");
    EXPECT_EQ(one.status, 200);
    EXPECT(io::decode_png(one.body, "png").size(0) == in_process.images.size(2));
}

TEST_CASE("events arrive in order with every step of every stage, as in-process, previews on request") {
    TextToImageRequest r;
    r.prompts = {"a boat"};
    r.sampling = fast(1);
    r.sampling.decoder_steps = 6;
    std::vector<std::string> expected;
    RunControl control;
    control.on_progress = [&](const Progress& p) {
        expected.push_back(std::string(pipeline::stage_name(p.stage)) + " " + std::to_string(p.step) + "/" + std::to_string(p.total));
    };
    local().text_to_image(r, control);
    auto c = shared_server().client();
    std::vector<std::string> types, steps;
    int previews = 0;
    const std::string id = c->submit(r, true);
    const server::Event end = c->follow(id, [&](const server::Event& e) {
        types.push_back(e.type);
        if (e.type == "progress")
            steps.push_back(e.data["stage"].get<std::string>() + " " + std::to_string(e.data["step"].get<int>()) + "/" +
                            std::to_string(e.data["total"].get<int>()));
        if (e.type == "preview") {
            ++previews;
            const torch::Tensor p = io::decode_png(io::base64_decode(e.data["images"][0].get<std::string>(), "p"), "p");
            EXPECT(p.size(2) == 3);
        }
    });
    EXPECT_EQ(end.type, std::string("done"));
    REQUIRE(types.size() >= 3);
    EXPECT_EQ(types.front(), std::string("queued"));
    EXPECT_EQ(types[1], std::string("started"));
    EXPECT_EQ(types.back(), std::string("done"));
    EXPECT_EQ(steps.size(), expected.size());
    EXPECT(steps == expected);
    EXPECT(previews > 0);
    // The same events again from the start, and from an index.
    size_t again = 0;
    c->follow(id, [&](const server::Event&) { ++again; });
    EXPECT_EQ(again, types.size());
    // /v1/run streams the same progress to the caller.
    std::vector<std::string> run_steps;
    RunControl rc;
    rc.on_progress = [&](const Progress& p) {
        run_steps.push_back(std::string(pipeline::stage_name(p.stage)) + " " + std::to_string(p.step) + "/" + std::to_string(p.total));
    };
    c->run(r, rc);
    EXPECT(run_steps == expected);
}

TEST_CASE("cancel mid-decoder ends the job within one model call and the next job runs") {
    TextToImageRequest r;
    r.prompts = {"a long job"};
    r.sampling = fast(8);
    r.sampling.decoder_steps = 400;
    auto c = shared_server().client();
    const std::string id = c->submit(r);
    int decoder_events = 0;
    size_t cancel_index = 0;
    std::vector<server::Event> log;
    const server::Event end = c->follow(id, [&](const server::Event& e) {
        log.push_back(e);
        if (e.type == "progress" && e.data["stage"] == "decoder" && ++decoder_events == 3) {
            // DELETE answers with the number of events the job had when its cancel flag was set.
            const Raw del = raw(shared_server().port(), "DELETE", "/v1/jobs/" + id);
            EXPECT_EQ(del.status, 202);
            cancel_index = json::parse(del.body).value("events", size_t{0});
        }
    });
    EXPECT_EQ(end.type, std::string("cancelled"));
    REQUIRE(cancel_index > 0 && cancel_index <= log.size());
    // The model call running when the cancel came may still report its step; nothing after it.
    int after = 0;
    for (size_t i = cancel_index; i < log.size(); ++i) after += log[i].type == "progress";
    EXPECT_MSG(after <= 1, "steps reported after the cancel: " << after);
    EXPECT(decoder_events < r.sampling.decoder_steps);
    const Raw res = raw(shared_server().port(), "GET", "/v1/jobs/" + id + "/result");
    EXPECT_EQ(res.status, 409);
    // The next job runs to the end, with the in-process pixels.
    r.sampling.decoder_steps = 4;
    expect_identical(via_jobs(*c, r), local().text_to_image(r));
}

TEST_CASE("/v1/run: the caller's cancel closes the connection and the server cancels the job") {
    TextToImageRequest r;
    r.prompts = {"a long run"};
    r.sampling = fast(8);
    r.sampling.decoder_steps = 1000;
    auto c = shared_server().client();
    CancelToken cancel;
    RunControl control;
    control.cancel = &cancel;
    control.on_progress = [&](const Progress& p) {
        if (p.stage == pipeline::Stage::Decoder && p.step == 2) cancel.cancel();
    };
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_THROWS(Cancelled, c->run(r, control), "cancelled");
    // The server notices the closed connection and frees the runner: the queue empties.
    bool empty = false;
    for (int i = 0; i < 400 && !empty; ++i) {
        empty = c->info().value("queue", 1) == 0;
        if (!empty) std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    EXPECT(empty);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cout << "run cancelled and runner free after " << seconds << " s\n";
    r.sampling.decoder_steps = 4;
    expect_identical(c->run(r), local().text_to_image(r));
}

TEST_CASE("jobs from two clients run in the order they were submitted") {
    auto a = shared_server().client();
    auto b = shared_server().client();
    TextToImageRequest r;
    r.prompts = {"order"};
    r.sampling = fast(0);
    std::vector<std::string> ids;
    for (int i = 0; i < 6; ++i) {
        r.sampling.seed = static_cast<uint64_t>(i);
        ids.push_back((i % 2 ? b : a)->submit(r));
    }
    // Each job's "started" event carries the runner's sequence number: FIFO means it grows in
    // submission order, whichever client submitted.
    int previous = -1;
    for (size_t i = 0; i < ids.size(); ++i) {
        auto& c = i % 2 ? b : a;
        int run = -1;
        const server::Event end = c->follow(ids[i], [&](const server::Event& e) {
            if (e.type == "started") run = e.data.value("run", -1);
        });
        EXPECT_EQ(end.type, std::string("done"));
        EXPECT_MSG(run > previous, "job " << i << " ran as number " << run << " after " << previous);
        previous = run;
        EXPECT_EQ(c->result(ids[i]).result.recipe["sampling"].value("seed", -1), static_cast<int>(i));
    }
}

TEST_CASE("bad requests each get their specific 4xx and message and the server stays healthy") {
    server::ServerOptions so;
    so.limits.max_pixels = 48 * 48;
    so.limits.max_prompt_chars = 100;
    so.limits.max_batch = 4;
    so.limits.max_steps = 50;
    so.limits.max_body_bytes = 256 * 1024;
    so.limits.max_queue = 2;
    so.limits.read_timeout_s = 1;
    so.limits.write_timeout_s = 1;
    test::LoopbackServer srv(so);
    const int port = srv.port();
    const std::string small = b64png(torch::zeros({8, 8, 3}, torch::kUInt8));
    const std::string other = b64png(torch::zeros({9, 8, 3}, torch::kUInt8));
    const json t2i = {{"mode", "text2img"}, {"prompts", {"x"}}, {"sampling", {{"prior_steps", 2}, {"decoder_steps", 2}, {"super_res_steps", 2}}}};
    auto with = [&](json j, const std::string& key, const json& value) {
        j[key] = value;
        return j.dump();
    };
    struct Case {
        std::string what, method, path, body;
        int status;
        std::string needle;
    };
    const std::string png = io::encode_png(torch::zeros({8, 8, 3}, torch::kUInt8));
    std::vector<Case> cases = {
        {"malformed JSON", "POST", "/v1/jobs", "{\"mode\": text2img}", 400, "malformed JSON"},
        {"truncated body", "POST", "/v1/jobs", t2i.dump().substr(0, 20), 400, "malformed JSON"},
        {"empty body", "POST", "/v1/jobs", "", 400, "malformed JSON"},
        {"not an object", "POST", "/v1/jobs", "[1, 2]", 400, "must be a JSON object"},
        {"no mode", "POST", "/v1/jobs", "{\"prompts\": [\"x\"]}", 400, "field 'mode' is required"},
        {"unknown mode", "POST", "/v1/jobs", "{\"mode\": \"paint\"}", 400, "field 'mode' is 'paint'"},
        {"mode not a string", "POST", "/v1/jobs", "{\"mode\": 7}", 400, "field 'mode' must be a string"},
        {"unknown field", "POST", "/v1/jobs", with(t2i, "colour", "red"), 400, "unknown field 'colour'"},
        {"unknown nested field", "POST", "/v1/jobs", with(t2i, "sampling", {{"sede", 1}}), 400, "unknown field 'sampling.sede'"},
        {"negative seed", "POST", "/v1/jobs", with(t2i, "sampling", {{"seed", -4}}), 400, "field 'sampling.seed' must be an unsigned integer"},
        {"seed as text", "POST", "/v1/jobs", with(t2i, "sampling", {{"seed", "4"}}), 400, "field 'sampling.seed' must be an unsigned integer"},
        {"prompt not a string", "POST", "/v1/jobs", with(t2i, "prompts", {"x", 3}), 400, "field 'prompts[1]' must be a string"},
        {"count not an integer", "POST", "/v1/jobs", with(t2i, "images_per_prompt", 1.5), 400, "field 'images_per_prompt' must be an integer"},
        {"flag not a bool", "POST", "/v1/jobs", with(t2i, "stop_after_decoder", "yes"), 400, "field 'stop_after_decoder' must be true or false"},
        {"newer version", "POST", "/v1/jobs", with(t2i, "version", 99), 400, "field 'version' is 99"},
        {"missing image", "POST", "/v1/jobs", json{{"mode", "variation"}}.dump(), 400, "field 'image' is required"},
        {"bad base64", "POST", "/v1/jobs", json{{"mode", "variation"}, {"image", "@@@@"}}.dump(), 400, "field 'image' is not valid base64"},
        {"not a PNG", "POST", "/v1/jobs", json{{"mode", "variation"}, {"image", io::base64_encode("JFIF....")}}.dump(), 400, "field 'image' is not a PNG file"},
        {"truncated PNG", "POST", "/v1/jobs", json{{"mode", "variation"}, {"image", io::base64_encode(png.substr(0, 40))}}.dump(), 400, "cannot read PNG field 'image'"},
        {"mask of the wrong size", "POST", "/v1/jobs", json{{"mode", "inpaint"}, {"image", small}, {"mask", other}}.dump(), 400, "field 'mask' is 8x9 pixels"},
        {"picture over the pixel cap", "POST", "/v1/jobs", json{{"mode", "variation"}, {"image", b64png(torch::zeros({49, 49, 3}, torch::kUInt8))}}.dump(), 400, "field 'image' is 49x49 pixels, over the limit"},
        {"prompt too long", "POST", "/v1/jobs", with(t2i, "prompts", {std::string(101, 'a')}), 400, "field 'prompts[0]' is 101 bytes long"},
        {"batch too large", "POST", "/v1/jobs", with(t2i, "images_per_prompt", 5), 400, "field 'images_per_prompt' asks for 5 images"},
        {"too many steps", "POST", "/v1/jobs", with(t2i, "sampling", {{"decoder_steps", 51}}), 400, "field 'sampling.decoder_steps' is 51"},
        {"both endpoint kinds", "POST", "/v1/jobs", json{{"mode", "interpolate"}, {"a", {{"image", small}, {"text", "x"}}}, {"b", {{"text", "y"}}}}.dump(), 400, "field 'a' must hold exactly one"},
        {"frame of three numbers", "POST", "/v1/jobs", json{{"mode", "inpaint"}, {"image", small}, {"mask", small}, {"frame", {0, 0, 4}}}.dump(), 400, "field 'frame' must be"},
        {"upscale without its candidates", "POST", "/v1/jobs", json{{"mode", "upscale"}, {"prompts", {"x"}}}.dump(), 400, "field 'decoder_output' is required"},
        {"score with a number for a picture", "POST", "/v1/jobs", json{{"mode", "score"}, {"images", {5}}, {"texts", {"x"}}}.dump(), 400, "field 'images[0]' must be a base64 PNG"},
        {"body over the size cap", "POST", "/v1/jobs", std::string(300 * 1024, ' '), 413, "over this server's limit of 262144 bytes"},
        {"/v1/run refuses the same way", "POST", "/v1/run", with(t2i, "colour", 1), 400, "unknown field 'colour'"},
        {"unknown job", "GET", "/v1/jobs/00abc-0000/result", "", 404, "no job '00abc-0000'"},
        {"unknown job events", "GET", "/v1/jobs/00abc-0000/events", "", 404, "no job"},
        {"cancel of an unknown job", "DELETE", "/v1/jobs/00abc-0000", "", 404, "no job"},
        {"unknown endpoint", "GET", "/v1/paint", "", 404, "no endpoint GET /v1/paint"},
    };
    for (const auto& c : cases) {
        const Raw r = raw(port, c.method, c.path, c.body);
        EXPECT_MSG(r.status == c.status, c.what << ": status " << r.status << " (expected " << c.status << "): " << r.body);
        EXPECT_MSG(r.message().find(c.needle) != std::string::npos, c.what << ": message '" << r.message() << "' lacks '" << c.needle << "'");
    }
    size_t checked = cases.size();

    // The queue cap (2): a long job running, one waiting, the next ones refused with 429 while
    // they last (each takes far longer than submitting the next).
    json longjob = t2i;
    longjob["images_per_prompt"] = 4;
    longjob["sampling"] = {{"prior_steps", 50}, {"decoder_steps", 50}, {"super_res_steps", 50}};
    std::vector<Raw> submitted;
    for (int i = 0; i < 4; ++i) submitted.push_back(raw(port, "POST", "/v1/jobs", longjob.dump()));
    EXPECT_EQ(submitted[0].status, 202);
    EXPECT_EQ(submitted[1].status, 202);
    EXPECT_EQ(submitted[2].status, 429);
    EXPECT(submitted[2].message().find("the queue is full") != std::string::npos);
    // The result of an unfinished job: 409 naming it.
    const std::string first_id = json::parse(submitted[0].body).value("id", std::string());
    const Raw early = raw(port, "GET", "/v1/jobs/" + first_id + "/result");
    EXPECT_EQ(early.status, 409);
    EXPECT(early.message().find("has not finished") != std::string::npos);
    for (const Raw& j : submitted)
        if (j.status == 202) raw(port, "DELETE", "/v1/jobs/" + json::parse(j.body).value("id", std::string()));
    checked += 2;

    // A job the pipeline refuses (an empty mask) fails with the pipeline's message; the server goes on.
    auto c = srv.client();
    const std::string zeros_mask = b64png(torch::zeros({8, 8, 3}, torch::kUInt8));
    const std::string bad_job = c->submit_json(json{{"mode", "inpaint"}, {"image", small}, {"mask", zeros_mask}, {"prompt", "x"}}.dump());
    const server::Event failed = c->follow(bad_job, nullptr);
    EXPECT_EQ(failed.type, std::string("failed"));
    EXPECT_MSG(failed.data.value("message", std::string()).find("mask is empty") != std::string::npos, failed.data.dump());
    // Through the client's /v1/run the same failure is the in-process exception type.
    InpaintRequest empty_mask;
    empty_mask.image = torch::zeros({8, 8, 3}, torch::kUInt8);
    empty_mask.mask = torch::zeros({8, 8});
    empty_mask.prompt = "x";
    EXPECT_THROWS(RequestError, c->run(empty_mask), "mask is empty");
    checked += 2;

    // A client that sends half a request and stalls is dropped after the read timeout.
    const int fd = connect_to(port);
    REQUIRE(fd >= 0);
    const std::string partial = "POST /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"mode\":";
    REQUIRE(::send(fd, partial.data(), partial.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(partial.size()));
    timeval tv{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    const auto t0 = std::chrono::steady_clock::now();
    char buf[4096];
    ssize_t n;
    while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) {
    }
    const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ::close(fd);
    EXPECT_MSG(n == 0 && waited < 5.0, "the stalled client was not dropped (recv " << n << " after " << waited << " s)");
    // A client that goes away in the middle of an event stream.
    const std::string slow = c->submit_json(longjob.dump());
    const int fd2 = connect_to(port);
    const std::string get = "GET /v1/jobs/" + slow + "/events HTTP/1.1\r\nHost: x\r\n\r\n";
    ::send(fd2, get.data(), get.size(), MSG_NOSIGNAL);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    ::close(fd2);
    c->cancel(slow);
    checked += 2;

    // Tokens: a server with one refuses a missing and a wrong token; health needs none.
    server::ServerOptions with_token;
    with_token.token = "s3cret-token";
    test::LoopbackServer guarded(with_token);
    const Raw none = raw(guarded.port(), "GET", "/v1/info");
    EXPECT_EQ(none.status, 401);
    EXPECT(none.message().find("needs a token") != std::string::npos);
    const Raw wrong = raw(guarded.port(), "GET", "/v1/info", "", "s3cret-tokem");
    EXPECT_EQ(wrong.status, 401);
    EXPECT(wrong.message().find("the token is wrong") != std::string::npos);
    EXPECT_EQ(raw(guarded.port(), "GET", "/v1/info", "", "s3cret-token").status, 200);
    EXPECT_EQ(raw(guarded.port(), "GET", "/v1/health").status, 200);
    EXPECT_THROWS(server::ServerError, guarded.client("wrong")->info(), "401");
    checked += 3;
    // A listener beyond loopback without a token is refused before it opens.
    server::ServerOptions open;
    open.host = "0.0.0.0";
    EXPECT_THROWS(RequestError, server::Server(local(), open), "needs a token");
    ++checked;
    std::cout << checked << " bad requests checked\n";
    EXPECT(checked >= 25);

    // Still healthy, and a real job runs to the end.
    EXPECT_EQ(raw(port, "GET", "/v1/health").status, 200);
    TextToImageRequest ok;
    ok.prompts = {"still fine"};
    ok.sampling = fast(6);
    expect_identical(c->run(ok), local().text_to_image(ok));
}

TEST_CASE("an unreachable server is an error naming it") {
    server::ClientOptions o;
    o.url = "http://127.0.0.1:1";
    o.connect_timeout_s = 2;
    server::Client c(o);
    EXPECT(!c.healthy());
    EXPECT_THROWS(server::ServerError, c.info(), "cannot reach the server at http://127.0.0.1:1");
}

TEST_CASE("stop refuses new jobs and cancels the running one") {
    test::LoopbackServer srv;
    auto c = srv.client();
    TextToImageRequest r;
    r.prompts = {"endless"};
    r.sampling = fast(1);
    r.sampling.decoder_steps = 1000;
    const std::string id = c->submit(r);
    std::atomic<bool> started{false};
    server::Event end;
    std::thread follower([&] {
        end = c->follow(id, [&](const server::Event& e) {
            if (e.type == "progress") started = true;
        });
    });
    for (int i = 0; i < 1000 && !started; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const auto t0 = std::chrono::steady_clock::now();
    srv.stop();
    follower.join();
    EXPECT_EQ(end.type, std::string("cancelled"));
    EXPECT(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(10));
    EXPECT(!srv.client()->healthy());
}

TEST_CASE("the server warms the model up after loading, and the first job makes the warm-up give way") {
    // Left alone, the warm-up runs to its end (logged) and the next job's pictures are unchanged.
    std::mutex lines_mutex;
    std::vector<std::string> lines;
    server::ServerOptions o;
    o.log = [&](const std::string& line) {
        std::lock_guard<std::mutex> lock(lines_mutex);
        lines.push_back(line);
    };
    auto logged = [&](const std::string& prefix) {
        std::lock_guard<std::mutex> lock(lines_mutex);
        return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return l.rfind(prefix, 0) == 0; });
    };
    {
        test::LoopbackServer srv(o);
        for (int i = 0; i < 3000 && !logged("warm-up done"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        EXPECT(logged("warm-up done"));
        TextToImageRequest r;
        r.prompts = {"a warm fox"};
        r.sampling = fast(21);
        expect_identical(srv.client()->run(r), local().text_to_image(r));
    }
    // A warm-up that would never end: the first job submitted cancels it and runs.
    std::atomic<bool> warming{false}, gave_way{false};
    server::JobQueue queue([](const AnyRequest& r, const RunControl& c) { return server::run_request(local(), r, c); }, 4, 4,
                           [&](const CancelToken& cancel) {
                               warming = true;
                               for (int i = 0; i < 6000 && !cancel.cancelled(); ++i)
                                   std::this_thread::sleep_for(std::chrono::milliseconds(5));
                               gave_way = cancel.cancelled();
                           });
    for (int i = 0; i < 2000 && !warming; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    REQUIRE(warming);
    TextToImageRequest r;
    r.prompts = {"a cold fox"};
    r.sampling = fast(22);
    auto job = queue.submit(r, false);
    for (int i = 0; i < 6000 && !job->finished(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    EXPECT(gave_way);
    REQUIRE(job->state() == server::JobState::Done);
    EXPECT(torch::equal(job->output()->result.images, local().text_to_image(r).images));
}

TEST_CASE("a Kandinsky 2.2 server: info names the family, pictures equal the in-process ones at any size") {
    const PipelineOptions o = test::kandinsky_golden_options();
    test::LoopbackServer s({}, UnclipPipeline::load(o));
    auto in_process = UnclipPipeline::load(o);
    auto c = s.client();
    const json info = c->info();
    EXPECT_EQ(info.at("model").at("family").get<std::string>(), "kandinsky-2.2");
    EXPECT_EQ(info.at("model").at("sampling_defaults").at("decoder_steps").get<int>(),
              default_sampling(ModelFamily::Kandinsky22).decoder_steps);
    EXPECT(info.at("modes").at("mix").at("available").get<bool>());
    TextToImageRequest t;
    t.prompts = {"a red cube"};
    t.sampling = fast(3);
    t.sampling.width = 2 * in_process->image_size();
    expect_identical(c->run(t), in_process->text_to_image(t));
    MixRequest m;
    m.items = {{io::read_png(test::kandinsky_golden_path("cases/img_a.png")), ""}, {torch::Tensor(), "a green sphere"}};
    m.weights = {0.5f, 0.5f};
    m.sampling = fast(4);
    expect_identical(via_jobs(*c, m), in_process->mix(m));
}

TEST_CASE("docs/openapi.json is the document the server serves") {
    const json served = json::parse(raw(shared_server().port(), "GET", "/v1/openapi.json").body);
    EXPECT_EQ(served.dump(), server::openapi_document().dump());
    std::ifstream in(std::string(UNCLIP_SOURCE_DIR) + "/docs/openapi.json");
    REQUIRE(in.good());
    const json docs = json::parse(in);
    EXPECT_MSG(docs == served, "docs/openapi.json is stale: regenerate it with `unclip serve --openapi > docs/openapi.json`");
}

UNCLIP_TEST_MAIN()
