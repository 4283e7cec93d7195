// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The embedded model's training data: emoji tiles (rendered once by unclip-dataset into one
// safetensors file: uint8 RGBA [N, S, S, 4] + a JSON caption table) composed on the fly into
// captioned pictures: background colour, size, position, or two emoji side by side.
// Deterministic given a seed; a fixed set of emoji and of (emoji, background) pairs is held out.
#include <torch/types.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace unclip::training {

struct EmojiInfo {
    std::string name, group, subgroup;  // as in emoji-test.txt
    std::string phrase;                 // caption form: ASCII-folded, lower case ("flag: cote d'ivoire")
};

struct EmojiTiles {
    torch::Tensor rgba;  // float32 [N, 4, S, S] in [0, 1], straight alpha
    std::vector<EmojiInfo> info;
    int64_t size() const { return static_cast<int64_t>(info.size()); }
    // Throws unclip::ModelError naming the file when it is missing or malformed.
    static EmojiTiles load(const std::string& path);
};

// ASCII folding of a UTF-8 emoji name for captions ("piñata" -> "pinata", "’" -> "'"), lower case.
std::string caption_phrase(const std::string& utf8_name);

struct Composition {
    int a = 0;            // emoji index
    int b = -1;           // second emoji (side by side, a on the left) or -1
    int background = -1;  // palette index, -1 = plain white (not mentioned)
    int scale = 1;        // 0 small, 1 normal, 2 large
    int position = 0;     // index into positions() (only with small single emoji)
};

struct NamedColour {
    const char* name;
    float r, g, b;
};
const std::vector<NamedColour>& palette();
const std::vector<std::string>& positions();  // "" (centre), "in the top left", ...

class Composer {
public:
    Composer(const EmojiTiles& tiles, int canvas);
    int canvas() const { return canvas_; }
    const EmojiTiles& tiles() const { return *tiles_; }

    bool held_out_emoji(int index) const;
    bool held_out_pair(int emoji, int background) const;  // (emoji, named background) never trained on
    bool held_out(const Composition& c) const;

    // A random training composition (never held out).
    Composition sample(std::mt19937_64& rng) const;
    std::string caption(const Composition& c) const;
    // float32 [3, canvas, canvas] in [-1, 1].
    torch::Tensor render(const Composition& c) const;

    struct Batch {
        torch::Tensor images;  // [B, 3, canvas, canvas] in [-1, 1]
        std::vector<std::string> captions;
        std::vector<Composition> compositions;
    };
    Batch batch(int n, std::mt19937_64& rng) const;
    Batch make(const std::vector<Composition>& cs) const;

    // Evaluation sets (fixed by the seed): every held-out emoji alone on white; n held-out
    // (train emoji, background) pairs at normal size.
    std::vector<Composition> eval_heldout_emoji() const;
    std::vector<Composition> eval_heldout_pairs(int n, uint64_t seed = 7) const;

    // Every word sequence the captions can contain (for the tokenizer's BPE merges).
    std::vector<std::string> caption_corpus() const;

private:
    const EmojiTiles* tiles_;
    int canvas_;
    std::vector<int> train_emoji_;
};

// uint8 [H, W, 3] from a [3, H, W] image in [-1, 1] (what the pipeline and image files take).
torch::Tensor to_uint8_hwc(const torch::Tensor& chw);

// [B, 3, size, size]: pictures shrunk by area averaging, as the decoder's training targets and the
// super-res stage's low-resolution inputs are made (training and evaluation alike).
torch::Tensor shrink_area(const torch::Tensor& images, int64_t size);

}  // namespace unclip::training
