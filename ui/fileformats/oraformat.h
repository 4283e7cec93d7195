// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// OpenRaster (.ora) with libzip: "mimetype" stored first and uncompressed, stack.xml, one PNG per
// layer (data/image.png, data/mask.png hidden and not selected, both marked unclip:role),
// mergedimage.png, Thumbnails/thumbnail.png and the generation recipes as unclip/recipes.json.
// Written in memory, then atomically via QSaveFile, then read back to check it.
//
// Reading another program's file (Krita, GIMP, MyPaint): every visible layer is composited
// (opacity, offsets, nested stacks, the svg: composite-ops QPainter has) into the picture; only our
// own marked mask layer becomes the mask; mergedimage.png is used only when the layers cannot be
// combined (an unknown composite-op, an undecodable layer), and the notes say so. Layers the editor
// does not model are kept (stack.xml elements and every archive entry, byte for byte) and written
// back below the picture on save.
#include "ui/fileformats/documentio.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QXmlStreamAttributes>

namespace unclip::ui {

// One element of stack.xml (<stack>, <layer>, or anything else), as read.
struct OraNode {
    QString tag;
    QXmlStreamAttributes attributes;
    QXmlStreamNamespaceDeclarations namespaces;
    QList<OraNode> children;
};

struct OraForeignLayers {
    QList<OraNode> nodes;                        // the root stack's other elements, top first
    QXmlStreamNamespaceDeclarations namespaces;  // declared on the original <image>
    QMap<QString, QByteArray> entries;           // every other archive entry, byte for byte
    QStringList layerNames;                      // for messages
};

// The archive bytes; false + *error when encoding fails.
bool encodeOra(const DocumentContent& content, QByteArray* out, QString* error);
bool decodeOra(const QByteArray& data, DocumentContent* out, QString* error);

bool saveOra(const QString& path, const DocumentContent& content, QString* error);
bool loadOra(const QString& path, DocumentContent* out, QString* error);

}  // namespace unclip::ui
