// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/settings/appsettings.h"

#include <algorithm>

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

namespace unclip::ui::settings {

ModelSettings modelSettings() {
    QSettings s;
    ModelSettings m;
    m.modelDir = s.value("model/folder").toString();
    m.encoderDir = s.value("model/imageEncoderFolder").toString();
    m.decoderDir = s.value("model/decoderFolder").toString();
    m.inpaintDir = s.value("model/inpaintFolder").toString();
    m.offload = s.value("model/sequentialOffload", false).toBool();
    m.device = s.value("model/device", "cpu").toString();
    m.precision = s.value("model/precision", "float32").toString();
    m.threads = s.value("model/threads", 0).toInt();
    m.inference = s.value("inference/where", "local").toString();
    m.serverUrl = s.value("inference/serverUrl").toString();
    m.serverToken = s.value("inference/serverToken").toString();
    m.serverProgram = s.value("inference/serverProgram").toString();
    return m;
}

void setModelSettings(const ModelSettings& m) {
    QSettings s;
    s.setValue("model/folder", m.modelDir);
    s.setValue("model/imageEncoderFolder", m.encoderDir);
    s.setValue("model/decoderFolder", m.decoderDir);
    s.setValue("model/inpaintFolder", m.inpaintDir);
    s.setValue("model/sequentialOffload", m.offload);
    s.setValue("model/device", m.device);
    s.setValue("model/precision", m.precision);
    s.setValue("model/threads", m.threads);
    s.setValue("inference/where", m.inference);
    s.setValue("inference/serverUrl", m.serverUrl);
    s.setValue("inference/serverToken", m.serverToken);
    s.setValue("inference/serverProgram", m.serverProgram);
}

QString embeddedModelDir() {
    const QString app = QCoreApplication::applicationDirPath();
    const QStringList candidates = {
        app + "/../share/unclip-studio/models/unclip-emoji",
        app + "/../../resources/models/unclip-emoji",  // build tree: build/app/unclip-studio
        app + "/../resources/models/unclip-emoji",
    };
    for (const QString& c : candidates)
        if (QFileInfo(c + "/model_index.json").exists()) return QDir::cleanPath(c);
    return {};
}

QString effectiveModelDir(const ModelSettings& m) {
    if (!m.modelDir.isEmpty()) return m.modelDir;
    if (!m.decoderDir.isEmpty()) return m.decoderDir;
    if (!m.inpaintDir.isEmpty()) return m.inpaintDir;
    const QString env = qEnvironmentVariable("UNCLIP_MODEL_DIR");
    if (!env.isEmpty()) return env;
    return embeddedModelDir();
}

QString language() { return QSettings().value("ui/language").toString(); }
void setLanguage(const QString& code) { QSettings().setValue("ui/language", code); }

QStringList recentFiles() { return QSettings().value("files/recent").toStringList(); }

void addRecentFile(const QString& path) {
    const QString abs = QFileInfo(path).absoluteFilePath();
    QStringList list = recentFiles();
    list.removeAll(abs);
    list.prepend(abs);
    while (list.size() > kMaxRecentFiles) list.removeLast();
    QSettings().setValue("files/recent", list);
}

void removeRecentFile(const QString& path) {
    QStringList list = recentFiles();
    list.removeAll(QFileInfo(path).absoluteFilePath());
    QSettings().setValue("files/recent", list);
}

QString lastFolder() {
    const QString f = QSettings().value("files/lastFolder").toString();
    if (!f.isEmpty() && QFileInfo(f).isDir()) return f;
    const QString pictures = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    return QFileInfo(pictures).isDir() ? pictures : QDir::homePath();
}

void setLastFolder(const QString& folder) { QSettings().setValue("files/lastFolder", folder); }

int brushSize() { return QSettings().value("brush/size", 48).toInt(); }
void setBrushSize(int d) { QSettings().setValue("brush/size", d); }
double brushHardness() { return QSettings().value("brush/hardness", 0.8).toDouble(); }
void setBrushHardness(double h) { QSettings().setValue("brush/hardness", h); }

QColor maskColor() {
    const QColor c(QSettings().value("mask/color", QStringLiteral("#ff3060")).toString());
    return c.isValid() ? c : QColor(255, 48, 96);
}
void setMaskColor(const QColor& color) { QSettings().setValue("mask/color", color.name()); }
double maskOpacity() { return std::clamp(QSettings().value("mask/opacity", 0.55).toDouble(), 0.05, 1.0); }
void setMaskOpacity(double opacity) { QSettings().setValue("mask/opacity", opacity); }

bool exportSignature() { return QSettings().value("export/signature", false).toBool(); }
void setExportSignature(bool on) { QSettings().setValue("export/signature", on); }

int frameContext() {
    return std::clamp(QSettings().value("generation/frameContext", kDefaultFrameContext).toInt(), 0, kMaxFrameContext);
}
void setFrameContext(int pixels) { QSettings().setValue("generation/frameContext", pixels); }

int strokeMergeWindowMs() { return QSettings().value("history/strokeMergeWindowMs", 0).toInt(); }
void setStrokeMergeWindowMs(int ms) { QSettings().setValue("history/strokeMergeWindowMs", ms); }

int historyMemoryMB() {
    return std::max(16, QSettings().value("history/memoryMB", kDefaultHistoryMemoryMB).toInt());
}
void setHistoryMemoryMB(int mb) { QSettings().setValue("history/memoryMB", mb); }

bool autosaveEnabled() { return QSettings().value("autosave/enabled", true).toBool(); }
void setAutosaveEnabled(bool on) { QSettings().setValue("autosave/enabled", on); }
int autosaveIntervalSeconds() {
    return std::clamp(QSettings().value("autosave/intervalSeconds", kDefaultAutosaveSeconds).toInt(), 1, 24 * 3600);
}
void setAutosaveIntervalSeconds(int seconds) { QSettings().setValue("autosave/intervalSeconds", seconds); }

namespace {
QString windowKey(const QString& screen, const char* what) {
    return screen.isEmpty() ? QStringLiteral("window/%1").arg(QLatin1String(what))
                            : QStringLiteral("window/%1/%2").arg(screen, QLatin1String(what));
}
}  // namespace

QByteArray windowGeometry(const QString& screen) { return QSettings().value(windowKey(screen, "geometry")).toByteArray(); }
QByteArray windowState(const QString& screen) { return QSettings().value(windowKey(screen, "state")).toByteArray(); }
void setWindowGeometry(const QByteArray& geometry, const QByteArray& state, const QString& screen) {
    QSettings s;
    s.setValue(windowKey(screen, "geometry"), geometry);
    s.setValue(windowKey(screen, "state"), state);
    if (!screen.isEmpty()) {  // also the last layout of any screen
        s.setValue(windowKey({}, "geometry"), geometry);
        s.setValue(windowKey({}, "state"), state);
    }
}

}  // namespace unclip::ui::settings
