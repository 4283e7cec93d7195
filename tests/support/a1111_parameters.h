// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Test support: reads a PNG's "parameters" text the way AUTOMATIC1111's reader does (PNG Info;
// civitai and infinite-image-browsing follow it), written independently of core's writer so the
// tests check the format, not our own round trip:
//   - the last line holds the settings when at least three "key: value" pairs match in it;
//   - lines before it are the prompt, up to a line starting "Negative prompt:", which starts the
//     negative prompt (later lines continue it);
//   - a value in double quotes is a JSON string.
// Also lists a PNG file's raw text chunks (type, keyword, compressed or not).
#include <nlohmann/json.hpp>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <string>
#include <vector>

namespace unclip::test {

struct A1111Parameters {
    std::string prompt;
    std::string negative_prompt;
    std::map<std::string, std::string> fields;  // "Steps" -> "25", ...
};

inline A1111Parameters parse_a1111(const std::string& text) {
    // \s*(\w[\w \-/]+):\s*("(?:\\.|[^\\"])+"|[^,]*)(?:,|$)   (no raw string: moc misreads them)
    static const std::regex re_param("\\s*(\\w[\\w \\-/]+):\\s*(\"(?:\\\\.|[^\\\\\"])+\"|[^,]*)(?:,|$)");
    std::vector<std::string> lines;
    size_t start = text.find_first_not_of(" \t\r\n");
    const size_t stop = text.find_last_not_of(" \t\r\n");
    const std::string body = start == std::string::npos ? std::string() : text.substr(start, stop - start + 1);
    for (size_t pos = 0;;) {
        const size_t nl = body.find('\n', pos);
        lines.push_back(body.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos));
        if (nl == std::string::npos) break;
        pos = nl + 1;
    }
    std::string last = lines.back();
    lines.pop_back();
    auto matches = [&](const std::string& s) {
        return std::distance(std::sregex_iterator(s.begin(), s.end(), re_param), std::sregex_iterator());
    };
    if (matches(last) < 3) {
        lines.push_back(last);
        last.clear();
    }
    A1111Parameters out;
    bool in_negative = false;
    for (std::string line : lines) {
        const size_t a = line.find_first_not_of(" \t\r"), b = line.find_last_not_of(" \t\r");
        line = a == std::string::npos ? std::string() : line.substr(a, b - a + 1);
        if (line.rfind("Negative prompt:", 0) == 0) {
            in_negative = true;
            line = line.substr(16);
            const size_t s = line.find_first_not_of(' ');
            line = s == std::string::npos ? std::string() : line.substr(s);
        }
        std::string& target = in_negative ? out.negative_prompt : out.prompt;
        target += (target.empty() ? "" : "\n") + line;
    }
    for (auto it = std::sregex_iterator(last.begin(), last.end(), re_param); it != std::sregex_iterator(); ++it) {
        std::string value = (*it)[2];
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
            value = nlohmann::json::parse(value).get<std::string>();
        out.fields[(*it)[1]] = value;
    }
    return out;
}

struct PngTextChunk {
    std::string type;     // "tEXt", "zTXt" or "iTXt"
    std::string keyword;
    bool compressed = false;
    std::string raw;      // tEXt: the Latin-1 bytes; iTXt uncompressed: the UTF-8 bytes
};

// Every text chunk of a PNG file, in file order (no CRC checks: the reader under test does those).
inline std::vector<PngTextChunk> png_text_chunks(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    const std::string d((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<PngTextChunk> out;
    for (size_t p = 8; p + 12 <= d.size();) {
        const uint32_t len = uint32_t(uint8_t(d[p])) << 24 | uint32_t(uint8_t(d[p + 1])) << 16 |
                             uint32_t(uint8_t(d[p + 2])) << 8 | uint8_t(d[p + 3]);
        const std::string type = d.substr(p + 4, 4);
        if (p + 12 + len > d.size()) break;
        const std::string data = d.substr(p + 8, len);
        if (type == "tEXt" || type == "zTXt" || type == "iTXt") {
            PngTextChunk c;
            c.type = type;
            const size_t z = data.find('\0');
            c.keyword = data.substr(0, z);
            if (type == "zTXt") c.compressed = true;
            if (type == "tEXt") c.raw = data.substr(z + 1);
            if (type == "iTXt" && z + 2 < data.size()) {
                c.compressed = data[z + 1] != 0;
                // keyword \0 flag method lang \0 translated \0 text
                const size_t lang_end = data.find('\0', z + 3);
                const size_t tr_end = lang_end == std::string::npos ? lang_end : data.find('\0', lang_end + 1);
                if (tr_end != std::string::npos) c.raw = data.substr(tr_end + 1);
            }
            out.push_back(c);
        }
        p += 12 + len;
    }
    return out;
}

}  // namespace unclip::test
