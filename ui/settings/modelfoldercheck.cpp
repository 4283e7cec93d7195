// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/settings/modelfoldercheck.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

#if UNCLIP_UI_HAS_PIPELINE
#include "core/io/model_folder.h"
#include "core/pipeline/component_check.h"
#endif

#include <exception>

namespace unclip::ui {

namespace {
struct Text {
    Q_DECLARE_TR_FUNCTIONS(ModelFolderCheck)
};
}  // namespace

ModelFolderCheck checkModelFolder(const QString& dir) {
    ModelFolderCheck r;
    if (dir.trimmed().isEmpty()) {
        r.message = Text::tr("No folder given.");
        return r;
    }
    if (!QFileInfo(dir).isDir()) {
        r.message = Text::tr("“%1” is not a folder.").arg(QDir::toNativeSeparators(dir));
        return r;
    }
    if (!QFileInfo::exists(QDir(dir).filePath("model_index.json"))) {
        r.message = Text::tr("“%1” has no model_index.json: choose the folder of a diffusers unCLIP model (the one "
                       "holding prior/, decoder/, super_res_first/ …).")
                        .arg(QDir::toNativeSeparators(dir));
        return r;
    }
#if UNCLIP_UI_HAS_PIPELINE
    try {
        const io::ModelFolder folder(QFile::encodeName(dir).toStdString());
        QStringList names;
        for (const io::ComponentSpec& c : folder.components()) {
            (void)pipeline::describe_component(folder, c.name);
            names << QString::fromStdString(c.name);
        }
        r.ok = true;
        r.message = Text::tr("A model with %1.").arg(names.join(QStringLiteral(", ")));
    } catch (const std::exception& e) {
        r.message = QString::fromLocal8Bit(e.what());
    }
#else
    // Without the pipeline the editor cannot run a model; the folder at least has its index.
    QFile index(QDir(dir).filePath("model_index.json"));
    if (!index.open(QIODevice::ReadOnly) || !QJsonDocument::fromJson(index.readAll()).isObject()) {
        r.message = Text::tr("“%1” cannot be read as JSON.").arg(QDir::toNativeSeparators(index.fileName()));
    } else {
        r.ok = true;
        r.message = Text::tr("A model folder (this build runs no model).");
    }
#endif
    return r;
}

}  // namespace unclip::ui
