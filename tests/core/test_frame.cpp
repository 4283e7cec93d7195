// SPDX-License-Identifier: GPL-3.0-or-later
// The generation frame (core/pipeline/frame.h): inpainting a small region of a large canvas crops to
// a frame around it, draws at the model's resolution and puts the result back into the frame only;
// a frame reaching outside the picture outpaints. Sizes come from the golden model (its image size
// plays the role of Karlo's 256 px).
#include "core/common/error.h"
#include "core/io/png_io.h"
#include "core/pipeline/frame.h"
#include "core/pipeline/unclip_pipeline.h"
#include "tests/support/golden.h"
#include "tests/support/golden_pipeline.h"

#include <torch/torch.h>

using namespace unclip;
using namespace unclip::pipeline;

namespace {

UnclipPipeline& combined() { return test::golden_pipeline(); }
Sampling fast(uint64_t seed) { return test::fast_sampling(seed); }

// A textured uint8 [h, w, 3] canvas: a golden picture tiled over it.
torch::Tensor canvas(int64_t h, int64_t w) {
    torch::Tensor tile = test::golden_image("img_c");
    const int64_t ry = (h + tile.size(0) - 1) / tile.size(0), rx = (w + tile.size(1) - 1) / tile.size(1);
    return tile.repeat({ry, rx, 1}).slice(0, 0, h).slice(1, 0, w).contiguous();
}

torch::Tensor rect_mask(int64_t h, int64_t w, const Frame& r) {
    torch::Tensor m = torch::zeros({h, w});
    m.slice(0, r.y, r.y + r.height).slice(1, r.x, r.x + r.width).fill_(1.0f);
    return m;
}

bool contains(const Frame& outer, const Frame& inner) {
    return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width &&
           inner.y + inner.height <= outer.y + outer.height;
}

// Mean absolute difference of horizontally and vertically adjacent pixels inside `r`: how much fine
// detail a region has (an enlarged picture has little).
double high_frequency(const torch::Tensor& hwc, const Frame& r) {
    torch::Tensor x = hwc.slice(0, r.y, r.y + r.height).slice(1, r.x, r.x + r.width).to(torch::kFloat32);
    const double dx = (x.slice(1, 1) - x.slice(1, 0, -1)).abs().mean().item<double>();
    const double dy = (x.slice(0, 1) - x.slice(0, 0, -1)).abs().mean().item<double>();
    return (dx + dy) / 2;
}

torch::Tensor to_uint8(const torch::Tensor& chw) {
    return (chw * 255.0f).round().clamp(0, 255).to(torch::kUInt8).permute({1, 2, 0}).contiguous();
}

}  // namespace

TEST_CASE("the automatic frame holds the mask with context, is square, at least the model's size, inside the canvas") {
    const int64_t s = combined().image_size();
    const int64_t h = 6 * s + 7, w = 9 * s + 3;
    for (const Frame& region : {Frame{s, s, s / 2, s / 3}, Frame{0, 0, 3, 3}, Frame{w - 5, h - 4, 5, 4},
                                Frame{2 * s, s, 3 * s, s / 2}}) {
        for (int64_t context : {int64_t{0}, s / 4, 2 * s}) {
            const Frame f = auto_frame(rect_mask(h, w, region), s, context);
            EXPECT_MSG(contains(f, region), "region " << frame_to_string(region) << " frame " << frame_to_string(f));
            EXPECT(contains(Frame{0, 0, w, h}, f));
            const int64_t side = std::max({region.width + 2 * context, region.height + 2 * context, s});
            EXPECT_EQ(f.width, std::min(side, w));
            EXPECT_EQ(f.height, std::min(side, h));
            // Centred on the region where the canvas allows.
            if (f.x > 0 && f.x + f.width < w) EXPECT(std::abs((f.x + f.width / 2) - (region.x + region.width / 2)) <= 1);
        }
    }
    EXPECT(mask_bounds(rect_mask(h, w, Frame{3, 4, 5, 6})) == (Frame{3, 4, 5, 6}));
    EXPECT(mask_bounds(torch::zeros({4, 4})).empty());
    EXPECT_THROWS(RequestError, auto_frame(torch::zeros({h, w}), s, 0), "the mask is empty");
    // A canvas smaller than the model: the frame is the canvas.
    EXPECT(auto_frame(rect_mask(s / 2, s, Frame{1, 1, 2, 2}), s, 4) == (Frame{0, 0, s, s / 2}));
}

TEST_CASE("frames outside the picture: crops repeat the edge, the mask is regenerated there, the canvas grows") {
    torch::Tensor img = canvas(10, 12);
    const Frame f{-3, 6, 8, 7};  // left of and below the picture
    torch::Tensor crop = crop_image(img, f);
    REQUIRE((crop.sizes() == torch::IntArrayRef{7, 8, 3}));
    EXPECT(torch::equal(crop[0][0], img[6][0]));           // (-3, 6) repeats (0, 6)
    EXPECT(torch::equal(crop[3][5], img[9][2]));           // (2, 9) inside
    EXPECT(torch::equal(crop[6][7], img[9][4]));           // (4, 12) repeats (4, 9)
    torch::Tensor m = crop_mask(torch::zeros({10, 12}), f);
    EXPECT_EQ(m[0][2].item<float>(), 1.0f);   // x = -1: outside
    EXPECT_EQ(m[0][3].item<float>(), 0.0f);   // x = 0, y = 6: inside, unmasked
    EXPECT_EQ(m[4][3].item<float>(), 1.0f);   // y = 10: outside
    EXPECT(canvas_union(f, 10, 12) == (Frame{-3, 0, 15, 13}));
    torch::Tensor result = torch::full({3, 7, 8}, 0.5f);
    PlacedFrame placed = place_in_canvas(img, result, f);
    REQUIRE((placed.image.sizes() == torch::IntArrayRef{13, 15, 3}));
    EXPECT_EQ(placed.origin_x, int64_t{3});
    EXPECT_EQ(placed.origin_y, int64_t{0});
    // The old picture outside the frame is exact; the frame holds the result.
    EXPECT(torch::equal(placed.image.slice(0, 0, 6).slice(1, 3, 15), img.slice(0, 0, 6)));
    EXPECT(torch::equal(placed.image.slice(0, 6, 10).slice(1, 8, 15), img.slice(0, 6, 10).slice(1, 5, 12)));
    EXPECT((placed.image.slice(0, 6, 13).slice(1, 0, 8) == 128).all().item<bool>());
    // Bad frames are refused with the frame and the canvas named.
    EXPECT_THROWS(RequestError, check_frame(Frame{0, 0, 0, 5}, 10, 12), "empty");
    EXPECT_THROWS(RequestError, check_frame(Frame{12, 0, 5, 5}, 10, 12), "does not overlap the 12x10 picture");
    EXPECT_THROWS(RequestError, check_frame(Frame{-5, -5, 5, 5}, 10, 12), "does not overlap");
    EXPECT_THROWS(RequestError, check_frame(Frame{0, 0, kMaxFrameSide + 1, 5}, 10, 12), "larger than");
    EXPECT_THROWS(RequestError, check_frame(Frame{-kMaxFrameSide + 5, 0, kMaxFrameSide, 5}, 10, 12), "grow the picture");
    EXPECT_THROWS(RequestError, place_in_canvas(img, torch::zeros({3, 6, 8}), f), "frame is -3,6,8,7");
}

TEST_CASE("a small region of a large canvas is drawn at the model's resolution, exactly as on its crop") {
    UnclipPipeline& p = combined();
    const int64_t s = p.image_size();
    // Karlo's figures scaled to the model: a 100 px region of a 2048 px canvas at 256 px.
    const int64_t side = 8 * s, region = std::max<int64_t>(2, s * 100 / 256);
    torch::Tensor img = canvas(side, side);
    const Frame hole{5 * s + 3, 2 * s + 1, region, region};
    torch::Tensor mask = rect_mask(side, side, hole);
    InpaintRequest r;
    r.image = img;
    r.mask = mask;
    r.prompt = "a red cube";
    r.context = static_cast<int>((s - region) / 2);
    r.sampling = fast(11);
    Result framed = p.inpaint(r);
    REQUIRE(framed.frame.has_value());
    const Frame f = *framed.frame;
    // The pipeline worked on a frame of the model's size around the region, not on the canvas.
    EXPECT_EQ(f.width, s);
    EXPECT_EQ(f.height, s);
    EXPECT(contains(f, hole));
    EXPECT(framed.frame_scale <= 1.0);
    REQUIRE((framed.images.sizes() == torch::IntArrayRef{1, 3, f.height, f.width}));
    EXPECT_EQ(framed.recipe["frame"][2].get<int64_t>(), f.width);
    EXPECT(framed.recipe["frame_auto"].get<bool>());
    // Its recipe re-runs with the automatic frame (the mask may have moved since); a placed one is kept.
    ParseOptions recipe_mode;
    recipe_mode.mode = ParseMode::Recipe;
    EXPECT(!std::get<InpaintRequest>(request_from_json(framed.recipe, recipe_mode)).frame.has_value());
    nlohmann::json placed = framed.recipe;
    placed["frame_auto"] = false;
    const auto again = std::get<InpaintRequest>(request_from_json(placed, recipe_mode));
    EXPECT(again.frame.has_value() && *again.frame == f && again.context == r.context);

    // The same as the pipeline's own output on the crop (the frame as the whole picture).
    InpaintRequest on_crop = r;
    on_crop.image = crop_image(img, f);
    on_crop.mask = crop_mask(mask, f);
    on_crop.frame = Frame{0, 0, f.width, f.height};
    Result crop_result = p.inpaint(on_crop);
    EXPECT(torch::equal(crop_result.images, framed.images));

    // Put back: outside the mask the canvas is bit-identical, inside it changed.
    torch::Tensor out = place_in_canvas(img, framed.images[0], f).image;
    REQUIRE((out.sizes() == img.sizes()));
    torch::Tensor outside = (mask == 0).unsqueeze(2).expand_as(img);
    EXPECT(torch::equal(out.masked_select(outside), img.masked_select(outside)));
    EXPECT(!torch::equal(out.masked_select(outside.logical_not()), img.masked_select(outside.logical_not())));

    // The whole-canvas way enlarges the model's picture 8x: far less fine detail in the region.
    InpaintRequest whole = r;
    whole.frame = Frame{0, 0, side, side};
    Result w = p.inpaint(whole);
    EXPECT(w.frame_scale >= 8.0 - 1e-9);
    const double hf_framed = high_frequency(out, hole), hf_whole = high_frequency(to_uint8(w.images[0]), hole);
    std::cerr << "fine detail in the region: framed " << hf_framed << ", whole canvas " << hf_whole << "\n";
    EXPECT_MSG(hf_framed > 2.0 * hf_whole, "fine detail framed " << hf_framed << " vs whole canvas " << hf_whole);
}

TEST_CASE("a frame half outside the picture outpaints: the canvas grows, old pixels stay, the new area is drawn") {
    UnclipPipeline& p = combined();
    const int64_t s = p.image_size();
    torch::Tensor img = canvas(s, s);
    InpaintRequest r;
    r.image = img;
    r.mask = torch::zeros({s, s});  // nothing painted: the part outside the picture is the region
    r.frame = Frame{s / 2, 0, s, s};
    r.sampling = fast(3);
    Result res = p.inpaint(r);
    REQUIRE((res.images.sizes() == torch::IntArrayRef{1, 3, s, s}));
    PlacedFrame placed = place_in_canvas(img, res.images[0], *res.frame);
    REQUIRE((placed.image.sizes() == torch::IntArrayRef{s, s + s / 2, 3}));
    EXPECT(torch::equal(placed.image.slice(1, 0, s), img));
    // The new columns are drawn, not the repeated edge the model started from.
    torch::Tensor edge = crop_image(img, Frame{s, 0, s / 2, s});
    EXPECT(!torch::equal(placed.image.slice(1, s), edge));
    EXPECT_EQ(res.recipe["frame"][0].get<int64_t>(), s / 2);
    EXPECT(!res.recipe["frame_auto"].get<bool>());

    // A frame that misses the picture, or holds none of the mask, is refused before any model call.
    r.frame = Frame{2 * s, 0, s, s};
    EXPECT_THROWS(RequestError, p.inpaint(r), "does not overlap");
    r.frame = Frame{0, 0, s / 2, s / 2};
    r.mask = rect_mask(s, s, Frame{s - 2, s - 2, 2, 2});
    EXPECT_THROWS(RequestError, p.inpaint(r), "holds none of the mask");
    r.frame.reset();
    r.context = -1;
    EXPECT_THROWS(RequestError, p.inpaint(r), "context");
}

UNCLIP_TEST_MAIN()
