#pragma once
// OpenRaster (.ora) with libzip: "mimetype" stored first and uncompressed, stack.xml, one PNG per
// layer (data/image.png, data/mask.png hidden), mergedimage.png, Thumbnails/thumbnail.png and the
// generation recipes as unclip/recipes.json. Written in memory, then atomically via QSaveFile,
// then read back to check it.
#include "ui/fileformats/documentio.h"

#include <QByteArray>

namespace unclip::ui {

// The archive bytes; false + *error when encoding fails.
bool encodeOra(const DocumentContent& content, QByteArray* out, QString* error);
bool decodeOra(const QByteArray& data, DocumentContent* out, QString* error);

bool saveOra(const QString& path, const DocumentContent& content, QString* error);
bool loadOra(const QString& path, DocumentContent* out, QString* error);

}  // namespace unclip::ui
