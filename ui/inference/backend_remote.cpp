// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/inference/backend_remote.h"

#include "core/io/model_folder.h"
#include "core/pipeline/model_family.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace unclip::ui {

void RemoteBackend::connect(const std::string& url, const std::string& token) {
    server::ClientOptions o;
    o.url = url;
    o.token = token;
    m_client = std::make_unique<server::Client>(o);
    m_info = m_client->info();
}

void RemoteBackend::load(const ModelSettings& s, const QString& modelDir) {
    m_client.reset();
    m_child.reset();
    m_runner.clear();
    if (s.inference == QLatin1String("program")) {
        server::ChildServerOptions co;
        co.program = QFile::encodeName(s.serverProgram).toStdString();
        co.args = {"--model", QFile::encodeName(modelDir).toStdString(), "--device", s.device.toStdString(), "--dtype",
                   s.precision.toStdString()};
        if (!s.encoderDir.isEmpty()) co.args.insert(co.args.end(), {"--image-encoder", QFile::encodeName(s.encoderDir).toStdString()});
        // Kandinsky 2.2's other folders (each once: the model folder may be the decoder folder).
        for (const auto& [option, dir] : {std::pair{"--decoder", s.decoderDir}, std::pair{"--inpaint-decoder", s.inpaintDir}})
            if (!dir.isEmpty() && QDir::cleanPath(dir) != QDir::cleanPath(modelDir))
                co.args.insert(co.args.end(), {option, QFile::encodeName(dir).toStdString()});
        if (s.offload && pipeline::classify_folder(io::ModelFolder(QFile::encodeName(modelDir).toStdString())).family ==
                             pipeline::ModelFamily::Kandinsky22)
            co.args.insert(co.args.end(), {"--offload", "on"});
        if (s.threads > 0) co.args.insert(co.args.end(), {"--threads", std::to_string(s.threads)});
        m_child = std::make_unique<server::ChildServer>(co);
        m_child->ensure_running();
        connect(m_child->url(), m_child->token());
    } else {
        if (s.serverUrl.isEmpty())
            throw std::runtime_error(QCoreApplication::translate("PipelineBackend", "No server address is set. Enter one in Settings > Inference.").toStdString());
        connect(s.serverUrl.toStdString(), s.serverToken.toStdString());
    }
}

QString RemoteBackend::summary() const {
    if (!m_client) return {};
    const nlohmann::json model = m_info.value("model", nlohmann::json::object());
    QStringList modes;
    const QMap<pipeline::Mode, QString> unavailable = unavailableModes();
    for (pipeline::Mode m : editorModes())
        if (!unavailable.contains(m)) modes << modeDisplayName(m);
    const QString where = m_child ? QCoreApplication::translate("PipelineBackend", "local server program")
                                  : QString::fromStdString(m_client->url());
    return QCoreApplication::translate("PipelineBackend", "%1 on %2 (%3, %4): %5 px; %6")
        .arg(QFileInfo(QString::fromStdString(model.value("model_dir", std::string()))).fileName(), where,
             QString::fromStdString(m_info.value("device", std::string())),
             QString::fromStdString(m_info.value("precision", std::string())))
        .arg(imageSize())
        .arg(modes.join(", "));
}

QMap<pipeline::Mode, QString> RemoteBackend::unavailableModes() const {
    if (!m_client) return {};
    const nlohmann::json modes = m_info.value("modes", nlohmann::json::object());
    return unavailableModesFrom(
        [&](const std::string& kind) -> std::string {
            const nlohmann::json m = modes.value(kind, nlohmann::json::object());
            return m.value("available", false) ? std::string() : m.value("missing", std::string("a component"));
        },
        modelInfo().family);
}

int RemoteBackend::imageSize() const { return m_info.value("model", nlohmann::json::object()).value("image_size", 0); }

ModelInfo RemoteBackend::modelInfo() const {
    if (!m_client) return {};
    // Servers that do not say their family run Karlo (the family every version ran first).
    const nlohmann::json model = m_info.value("model", nlohmann::json::object());
    const std::string family = model.value("family", std::string(pipeline::family_name(pipeline::ModelFamily::Karlo)));
    const bool kandinsky = family == pipeline::family_name(pipeline::ModelFamily::Kandinsky22);
    return familyModelInfo(family, imageSize(), model.value("size_step", kandinsky ? 64 : 0));
}

GenerationOutput RemoteBackend::run(const GenerationJob& job, const ProgressFn& progress) {
    if (!m_client) throw std::runtime_error(QCoreApplication::translate("PipelineBackend", "No model is loaded.").toStdString());
    // The managed program crashed, was killed or hangs since the last job: start it again.
    if (m_child && (!m_child->running() || !m_client->healthy())) {
        m_child->stop(2);
        m_child->ensure_running();
        connect(m_child->url(), m_child->token());
        m_runner.clear();
    }
    if (!job.embedding.score && unavailableModes().contains(job.params.mode))
        throw std::runtime_error(unavailableModes().value(job.params.mode).toStdString());
    return m_runner.run(job, progress,
                        [this](const pipeline::AnyRequest& r, const pipeline::RunControl& c) { return m_client->run(r, c); });
}

QString describeServer(const QString& url, const QString& token) {
    if (url.isEmpty()) return QCoreApplication::translate("PipelineBackend", "Enter the server's address first.");
    try {
        server::ClientOptions o;
        o.url = url.toStdString();
        o.token = token.toStdString();
        o.connect_timeout_s = 3;
        o.read_timeout_s = 5;
        server::Client c(o);
        const nlohmann::json info = c.info();
        QStringList can, cannot;
        const nlohmann::json modes = info.value("modes", nlohmann::json::object());
        for (const auto& [kind, m] : modes.items())
            (m.value("available", false) ? can : cannot) << QString::fromStdString(kind);
        const nlohmann::json model = info.value("model", nlohmann::json::object());
        QString text = QCoreApplication::translate("PipelineBackend", "unclip %1 (%2) on %3, %4. Model: %5, %6 px. Runs: %7.")
                           .arg(QString::fromStdString(info.value("version", std::string())),
                                QString::fromStdString(info.value("libtorch", std::string())),
                                QString::fromStdString(info.value("device", std::string())),
                                QString::fromStdString(info.value("precision", std::string())),
                                QString::fromStdString(model.value("model_dir", std::string())))
                           .arg(model.value("image_size", 0))
                           .arg(can.join(", "));
        if (!cannot.isEmpty())
            text += " " + QCoreApplication::translate("PipelineBackend", "Cannot run: %1.").arg(cannot.join(", "));
        return text;
    } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
    }
}

std::unique_ptr<PipelineBackend> createBackendFor(const ModelSettings& settings) {
    if (settings.inference == QLatin1String("server") || settings.inference == QLatin1String("program"))
        return std::make_unique<RemoteBackend>();
    return createPipelineBackend();
}

}  // namespace unclip::ui
