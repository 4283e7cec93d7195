// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/training/emoji_dataset.h"

#include "core/common/error.h"
#include "core/io/safetensors.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <cctype>

namespace unclip::training {

namespace F = torch::nn::functional;

EmojiTiles EmojiTiles::load(const std::string& path) {
    auto file = io::SafetensorsFile::open(path);
    if (!file->contains("tiles")) throw ModelError(path + ": no \"tiles\" tensor (write it with unclip-dataset render)");
    torch::Tensor t = file->tensor("tiles");
    if (t.dim() != 4 || t.size(3) != 4 || t.scalar_type() != torch::kUInt8)
        throw ModelError(path + ": \"tiles\" must be uint8 [N, S, S, 4]");
    auto it = file->metadata().find("captions");
    if (it == file->metadata().end()) throw ModelError(path + ": no \"captions\" metadata");
    nlohmann::json table;
    try {
        table = nlohmann::json::parse(it->second);
    } catch (const std::exception& e) {
        throw ModelError(path + ": malformed captions metadata: " + e.what());
    }
    if (!table.is_array() || static_cast<int64_t>(table.size()) != t.size(0))
        throw ModelError(path + ": the caption table does not have one entry per tile");
    EmojiTiles out;
    out.rgba = t.permute({0, 3, 1, 2}).to(torch::kFloat32).div(255.0f).contiguous();
    for (const auto& e : table) {
        EmojiInfo info;
        info.name = e.value("name", "");
        info.group = e.value("group", "");
        info.subgroup = e.value("subgroup", "");
        info.phrase = caption_phrase(info.name);
        out.info.push_back(info);
    }
    return out;
}

std::string caption_phrase(const std::string& s) {
    // Latin-1 supplement letters U+00C0..U+00FF (UTF-8 C3 80..BF) -> base letters.
    static const char* latin = "aaaaaaaceeeeiiiidnooooo*ouuuuyts" "aaaaaaaceeeeiiiidnooooo/ouuuuyty";
    std::string out;
    for (size_t i = 0; i < s.size();) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            out += static_cast<char>(std::tolower(c));
            ++i;
        } else if (c == 0xC3 && i + 1 < s.size()) {
            const unsigned char d = static_cast<unsigned char>(s[i + 1]);
            if (d >= 0x80 && d <= 0xBF) out += latin[d - 0x80];
            i += 2;
        } else if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
                   (static_cast<unsigned char>(s[i + 2]) == 0x99 || static_cast<unsigned char>(s[i + 2]) == 0x98)) {
            out += '\'';
            i += 3;
        } else {  // any other non-ASCII code point is dropped
            ++i;
            while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
        }
    }
    return out;
}

const std::vector<NamedColour>& palette() {
    static const std::vector<NamedColour> p = {
        {"white", 1.0f, 1.0f, 1.0f},      {"black", 0.05f, 0.05f, 0.05f},   {"red", 0.85f, 0.1f, 0.1f},
        {"orange", 1.0f, 0.55f, 0.0f},    {"yellow", 1.0f, 0.9f, 0.15f},    {"green", 0.1f, 0.6f, 0.2f},
        {"light green", 0.6f, 0.9f, 0.5f}, {"blue", 0.1f, 0.25f, 0.85f},    {"light blue", 0.6f, 0.8f, 1.0f},
        {"dark blue", 0.05f, 0.08f, 0.35f}, {"purple", 0.5f, 0.2f, 0.7f},   {"pink", 1.0f, 0.6f, 0.75f},
        {"brown", 0.5f, 0.3f, 0.15f},     {"gray", 0.55f, 0.55f, 0.55f},
    };
    return p;
}

const std::vector<std::string>& positions() {
    static const std::vector<std::string> p = {"",           "in the top left", "in the top right", "in the bottom left",
                                               "in the bottom right", "at the top", "at the bottom",   "on the left",
                                               "on the right"};
    return p;
}

namespace {

uint64_t mix(uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

std::string article(const std::string& phrase) {
    if (phrase.empty()) return "a";
    const char c = phrase[0];
    return (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u') ? "an" : "a";
}

std::string with_article(const std::string& phrase) { return article(phrase) + " " + phrase; }

int uniform(std::mt19937_64& rng, int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); }
float unit(std::mt19937_64& rng) { return static_cast<float>((rng() >> 11) * (1.0 / 9007199254740992.0)); }

}  // namespace

Composer::Composer(const EmojiTiles& tiles, int canvas) : tiles_(&tiles), canvas_(canvas) {
    for (int i = 0; i < tiles.size(); ++i)
        if (!held_out_emoji(i)) train_emoji_.push_back(i);
    if (train_emoji_.empty()) throw ModelError("the emoji dataset is empty");
}

bool Composer::held_out_emoji(int index) const { return tiles_->size() >= 40 && mix(index * 2 + 1) % 20 == 0; }

bool Composer::held_out_pair(int emoji, int background) const {
    return background > 0 && mix(static_cast<uint64_t>(emoji) * 1000 + background) % 10 == 0;
}

bool Composer::held_out(const Composition& c) const {
    if (held_out_emoji(c.a) || (c.b >= 0 && held_out_emoji(c.b))) return true;
    return c.b < 0 && held_out_pair(c.a, c.background);
}

Composition Composer::sample(std::mt19937_64& rng) const {
    for (;;) {
        Composition c;
        c.a = train_emoji_[uniform(rng, static_cast<int>(train_emoji_.size()))];
        if (unit(rng) < 0.2f) c.b = train_emoji_[uniform(rng, static_cast<int>(train_emoji_.size()))];
        c.background = unit(rng) < 0.6f ? uniform(rng, static_cast<int>(palette().size())) : -1;
        if (c.b < 0) {
            const float u = unit(rng);
            c.scale = u < 0.3f ? 0 : (u < 0.85f ? 1 : 2);
            c.position = c.scale == 0 ? uniform(rng, static_cast<int>(positions().size())) : 0;
        }
        if (!held_out(c)) return c;
    }
}

std::string Composer::caption(const Composition& c) const {
    const auto& info = tiles_->info;
    std::string s;
    if (c.b >= 0) {
        s = with_article(info[c.a].phrase) + " and " + with_article(info[c.b].phrase);
    } else {
        std::string core = info[c.a].phrase;
        if (c.scale == 0) core = "small " + core;
        if (c.scale == 2) core = "large " + core;
        s = with_article(core);
        if (!positions()[c.position].empty()) s += " " + positions()[c.position];
    }
    if (c.background >= 0) s += " on " + with_article(palette()[c.background].name) + " background";
    return s;
}

torch::Tensor Composer::render(const Composition& c) const {
    const int S = canvas_;
    torch::Tensor img = torch::ones({3, S, S});
    if (c.background >= 0) {
        const auto& col = palette()[c.background];
        img[0].fill_(col.r);
        img[1].fill_(col.g);
        img[2].fill_(col.b);
    }
    auto paste = [&](int emoji, int size, int x, int y) {
        torch::Tensor tile = tiles_->rgba[emoji].unsqueeze(0);
        if (tile.size(2) > size)
            tile = F::interpolate(tile, F::InterpolateFuncOptions().size(std::vector<int64_t>{size, size}).mode(torch::kArea));
        else if (tile.size(2) < size)
            tile = F::interpolate(tile, F::InterpolateFuncOptions()
                                            .size(std::vector<int64_t>{size, size})
                                            .mode(torch::kBilinear)
                                            .align_corners(false));
        tile = tile.squeeze(0).clamp(0.0f, 1.0f);
        torch::Tensor rgb = tile.slice(0, 0, 3), alpha = tile.slice(0, 3, 4);
        torch::Tensor region = img.slice(1, y, y + size).slice(2, x, x + size);
        region.copy_(rgb * alpha + region * (1.0f - alpha));
    };
    if (c.b >= 0) {
        const int size = S / 2;
        paste(c.a, size, 0, (S - size) / 2);
        paste(c.b, size, S - size, (S - size) / 2);
    } else {
        const int size = c.scale == 0 ? (S * 9) / 20 : (c.scale == 1 ? (S * 3) / 4 : S);
        const int lo = S / 16, hi = S - size - S / 16, mid = (S - size) / 2;
        int x = mid, y = mid;
        switch (c.position) {
            case 1: x = lo; y = lo; break;
            case 2: x = hi; y = lo; break;
            case 3: x = lo; y = hi; break;
            case 4: x = hi; y = hi; break;
            case 5: y = lo; break;
            case 6: y = hi; break;
            case 7: x = lo; break;
            case 8: x = hi; break;
            default: break;
        }
        paste(c.a, size, x, y);
    }
    return img * 2.0f - 1.0f;
}

Composer::Batch Composer::make(const std::vector<Composition>& cs) const {
    Batch b;
    std::vector<torch::Tensor> imgs;
    for (const auto& c : cs) {
        imgs.push_back(render(c));
        b.captions.push_back(caption(c));
    }
    b.images = torch::stack(imgs);
    b.compositions = cs;
    return b;
}

Composer::Batch Composer::batch(int n, std::mt19937_64& rng) const {
    std::vector<Composition> cs;
    for (int i = 0; i < n; ++i) cs.push_back(sample(rng));
    return make(cs);
}

std::vector<Composition> Composer::eval_heldout_emoji() const {
    std::vector<Composition> out;
    for (int i = 0; i < tiles_->size(); ++i)
        if (held_out_emoji(i)) out.push_back(Composition{i, -1, -1, 1, 0});
    return out;
}

std::vector<Composition> Composer::eval_heldout_pairs(int n, uint64_t seed) const {
    std::mt19937_64 rng(seed);
    std::vector<Composition> out;
    std::vector<char> used(tiles_->size(), 0);
    for (int tries = 0; static_cast<int>(out.size()) < n && tries < 1000000; ++tries) {
        const int a = train_emoji_[uniform(rng, static_cast<int>(train_emoji_.size()))];
        const int bg = 1 + uniform(rng, static_cast<int>(palette().size()) - 1);
        if (used[a] || !held_out_pair(a, bg)) continue;
        used[a] = 1;
        out.push_back(Composition{a, -1, bg, 1, 0});
    }
    return out;
}

std::vector<std::string> Composer::caption_corpus() const {
    std::vector<std::string> out;
    for (const auto& e : tiles_->info) {
        out.push_back(e.phrase);
        out.push_back(e.phrase);  // names weigh more than the fixed words, which occur in every caption anyway
    }
    std::string fixed = "a an and on background small large";
    for (const auto& c : palette()) fixed += std::string(" ") + c.name;
    for (const auto& p : positions()) fixed += " " + p;
    for (int i = 0; i < 50; ++i) out.push_back(fixed);
    return out;
}

torch::Tensor shrink_area(const torch::Tensor& images, int64_t size) {
    return F::interpolate(images, F::InterpolateFuncOptions().size(std::vector<int64_t>{size, size}).mode(torch::kArea));
}

torch::Tensor to_uint8_hwc(const torch::Tensor& chw) {
    return ((chw.to(torch::kFloat32).clamp(-1.0f, 1.0f) + 1.0f) * 127.5f)
        .round()
        .to(torch::kUInt8)
        .permute({1, 2, 0})
        .contiguous();
}

}  // namespace unclip::training
