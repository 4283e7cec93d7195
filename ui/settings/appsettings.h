// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Typed access to the editor's QSettings (organisation "unclip", application "unclip-studio").
#include <QByteArray>
#include <QColor>
#include <QString>
#include <QStringList>

namespace unclip::ui {

struct ModelSettings {
    QString modelDir;    // diffusers folder; "" = the default (embedded model or $UNCLIP_MODEL_DIR)
    QString encoderDir;  // optional folder with image_encoder + feature_extractor
    // Kandinsky 2.2 comes as three folders: modelDir is its prior (kandinsky-2-2-prior), these
    // are the decoder and the inpainting decoder; either may be empty (the modes needing it are
    // greyed out). Core reads each folder's role from its model_index.json, so a swap still works.
    QString decoderDir;
    QString inpaintDir;
    // Sequential offload (Kandinsky 2.2): each model moves to the device only while its stage
    // runs, so a card holding one stage runs the whole pipeline.
    bool offload = false;
    QString device = "cpu";
    QString precision = "float32";
    int threads = 0;     // 0 = all cores
    // Where the model runs (Settings > Inference, docs/api.md): "local" (this process, the default),
    // "server" (an `unclip serve` at serverUrl) or "program" (serverProgram, an `unclip` built with
    // another LibTorch, started as a private child on a loopback port with a random token).
    QString inference = "local";
    QString serverUrl;
    QString serverToken;
    QString serverProgram;
    bool operator==(const ModelSettings& o) const {
        return modelDir == o.modelDir && encoderDir == o.encoderDir && decoderDir == o.decoderDir &&
               inpaintDir == o.inpaintDir && offload == o.offload && device == o.device &&
               precision == o.precision && threads == o.threads && inference == o.inference &&
               serverUrl == o.serverUrl && serverToken == o.serverToken && serverProgram == o.serverProgram;
    }
    bool operator!=(const ModelSettings& o) const { return !(*this == o); }
};

namespace settings {

ModelSettings modelSettings();
void setModelSettings(const ModelSettings& s);
// The model folder to load: the configured one, else a Kandinsky 2.2 decoder folder that is set
// (the embedded model is another family), else $UNCLIP_MODEL_DIR, else the embedded model
// (resources/models/unclip-emoji next to the program or in the install's data folder).
QString effectiveModelDir(const ModelSettings& s);
QString embeddedModelDir();

// "" = follow the system locale; otherwise a language code such as "de" or "en".
QString language();
void setLanguage(const QString& code);

QStringList recentFiles();
void addRecentFile(const QString& path);
void removeRecentFile(const QString& path);
inline constexpr int kMaxRecentFiles = 10;

QString lastFolder();
void setLastFolder(const QString& folder);

int brushSize();
void setBrushSize(int diameter);
double brushHardness();
void setBrushHardness(double hardness);

// Exported images (PNG export, interpolation frames, GIF, video) get the visible signature
// (core/imaging/signature.h) in the lower-right corner. Off by default.
bool exportSignature();
void setExportSignature(bool on);

// Context padding around the mask of the automatic generation frame, in picture pixels. The
// default is core's pipeline::kDefaultFrameContext (this header stays free of LibTorch;
// backend_unclip.cpp checks that the two agree).
inline constexpr int kDefaultFrameContext = 32;
int frameContext();
void setFrameContext(int pixels);
inline constexpr int kMaxFrameContext = 4096;

// The mask overlay on the canvas: its colour and opacity (0..1 at a fully masked pixel).
QColor maskColor();
void setMaskColor(const QColor& color);
double maskOpacity();
void setMaskOpacity(double opacity);

int strokeMergeWindowMs();
void setStrokeMergeWindowMs(int ms);

// Memory the undo history may hold before older steps move to a scratch file on disk.
int historyMemoryMB();
void setHistoryMemoryMB(int mb);
inline constexpr int kDefaultHistoryMemoryMB = 512;

// Autosave of the open document for crash recovery (autosave/enabled, autosave/intervalSeconds).
bool autosaveEnabled();
void setAutosaveEnabled(bool on);
int autosaveIntervalSeconds();  // at least 1
void setAutosaveIntervalSeconds(int seconds);
inline constexpr int kDefaultAutosaveSeconds = 60;

// The window's geometry and dock layout per screen size (screen: e.g. "1366x768"; "" = the last
// one saved on any screen).
QByteArray windowGeometry(const QString& screen = {});
QByteArray windowState(const QString& screen = {});
void setWindowGeometry(const QByteArray& geometry, const QByteArray& state, const QString& screen = {});

}  // namespace settings
}  // namespace unclip::ui
