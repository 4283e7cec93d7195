// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/settings/modelfoldercheck.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMap>
#include <QStringList>

#include "ui/inference/generation.h"

#include "core/io/model_folder.h"
#include "core/pipeline/component_check.h"
#include "core/pipeline/model_family.h"

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
    try {
        const io::ModelFolder folder(QFile::encodeName(dir).toStdString());
        const pipeline::FolderKind kind = pipeline::classify_folder(folder);
        QStringList names;
        for (const io::ComponentSpec& c : folder.components()) {
            (void)pipeline::describe_component(folder, c.name);
            names << QString::fromStdString(c.name);
        }
        r.ok = true;
        r.family = QString::fromLatin1(pipeline::family_name(kind.family));
        r.role = QString::fromLatin1(pipeline::role_name(kind.role));
        switch (kind.role) {
        case pipeline::FolderRole::Karlo: r.kind = Text::tr("Karlo (unCLIP) model"); break;
        case pipeline::FolderRole::KandinskyPrior: r.kind = Text::tr("Kandinsky 2.2 prior"); break;
        case pipeline::FolderRole::KandinskyDecoder: r.kind = Text::tr("Kandinsky 2.2 decoder"); break;
        case pipeline::FolderRole::KandinskyInpaint: r.kind = Text::tr("Kandinsky 2.2 inpainting decoder"); break;
        }
        r.message = Text::tr("%1 with %2.").arg(r.kind, names.join(QStringLiteral(", ")));
    } catch (const std::exception& e) {
        r.message = QString::fromLocal8Bit(e.what());
    }
    return r;
}

namespace {

QString familyTitle(const QString& family) {
    return family == QLatin1String(kKandinskyFamily) ? QStringLiteral("Kandinsky 2.2") : QStringLiteral("Karlo (unCLIP)");
}

}  // namespace

ModelFoldersCheck checkModelFolders(const QList<FolderSlot>& given) {
    ModelFoldersCheck r;
    for (const FolderSlot& slot : given) {
        if (slot.dir.trimmed().isEmpty()) continue;
        r.slots.append(slot);
        r.folders.append(checkModelFolder(slot.dir));
    }
    if (r.slots.isEmpty()) {
        r.problems << Text::tr("No folder given.");
        return r;
    }
    bool each = true;
    QStringList families;  // "Model folder: Karlo (unCLIP)" for each usable folder
    QString family;
    bool mixed = false;
    for (int i = 0; i < r.folders.size(); ++i) {
        const ModelFolderCheck& c = r.folders.at(i);
        each = each && c.ok;
        if (c.family.isEmpty()) continue;
        families << Text::tr("%1: %2").arg(r.slots.at(i).title, familyTitle(c.family));
        if (family.isEmpty()) family = c.family;
        else mixed = mixed || c.family != family;
    }
    if (mixed) {
        r.problems << Text::tr("These folders are of different model families (%1): load one family at a time.")
                          .arg(families.join(QStringLiteral("; ")));
        return r;
    }
    r.family = family;
    if (family == QLatin1String(kKandinskyFamily)) {
        // Each part once; the slot a folder is in does not matter (core reads its role).
        QMap<QString, QString> byRole;  // role -> the first slot holding it
        for (int i = 0; i < r.folders.size(); ++i) {
            const QString& role = r.folders.at(i).role;
            if (role.isEmpty()) continue;
            if (byRole.contains(role))
                r.problems << Text::tr("%1 and %2 hold the same Kandinsky 2.2 part: give each of the three folders once.")
                                  .arg(byRole.value(role), r.slots.at(i).title);
            else byRole.insert(role, r.slots.at(i).title);
        }
        if (each && r.problems.isEmpty()) {
            if (!byRole.contains("prior"))
                r.problems << Text::tr("No Kandinsky 2.2 prior (kandinsky-2-2-prior, as the model folder): it turns texts "
                                       "and pictures into what the decoders draw, so no mode runs without it.");
            if (!byRole.contains("decoder"))
                r.notes << Text::tr("No decoder folder (kandinsky-2-2-decoder): only Inpaint can run.");
            if (!byRole.contains("inpaint decoder"))
                r.notes << Text::tr("No inpainting decoder folder (kandinsky-2-2-decoder-inpaint): Inpaint is unavailable.");
        }
    }
    r.ok = each && r.problems.isEmpty();
    return r;
}

}  // namespace unclip::ui
