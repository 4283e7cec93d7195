// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Settings: model folder, optional image-encoder folder, Kandinsky 2.2's decoder folders and
// sequential offload, device, precision, threads, language, and how strokes merge in the history.
#include "ui/settings/appsettings.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QToolButton;

namespace unclip::ui {

class InferenceSettings;

class SettingsDialog : public QDialog {
    Q_OBJECT

public:
    explicit SettingsDialog(QWidget* parent = nullptr);

    ModelSettings modelSettings() const;
    void setModelSettings(const ModelSettings& s);
    QString language() const;  // "" = system
    void setLanguage(const QString& code);
    QColor maskColor() const { return m_maskColorValue; }
    void setMaskColor(const QColor& color);
    double maskOpacity() const;  // 0..1
    void setMaskOpacity(double opacity);
    int strokeMergeWindowMs() const;
    void setStrokeMergeWindowMs(int ms);
    int historyMemoryMB() const;
    void setHistoryMemoryMB(int mb);

    // Checks the model folders now (they are checked on their own while the user edits them),
    // each and together (one family); the result shows under the folders.
    void checkModelDir();
    QString modelCheckText() const;
    bool modelDirOk() const { return m_lastCheckOk; }

    // Loads from / stores to QSettings.
    void load();
    void save() const;

protected:
    void showEvent(QShowEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    // The height the folder check's lines need at the present width (grown only, unless shrink).
    void fitHeight(bool shrink);
    void fitCheckLabel();
    // Greys out the rows the folders' family does not use ("" = not known: all enabled).
    void updateFolderRows(const QString& family);

    QLineEdit* m_modelDir;
    QLineEdit* m_encoderDir;
    QLineEdit* m_decoderDir;
    QLineEdit* m_inpaintDir;
    QWidget* m_encoderRow;
    QWidget* m_decoderRow;
    QWidget* m_inpaintRow;
    QCheckBox* m_offload;
    QLabel* m_modelCheck = nullptr;
    QToolButton* m_maskColor = nullptr;
    QColor m_maskColorValue;
    QSpinBox* m_maskOpacity = nullptr;
    bool m_lastCheckOk = false;
    QComboBox* m_device;
    QComboBox* m_precision;
    QSpinBox* m_threads;
    QComboBox* m_language;
    QSpinBox* m_mergeWindow;
    QSpinBox* m_historyMemory;
    QCheckBox* m_signature = nullptr;  // export/signature
    QCheckBox* m_autosave = nullptr;   // autosave/enabled
    QSpinBox* m_autosaveSeconds = nullptr;  // autosave/intervalSeconds
    InferenceSettings* m_inference = nullptr;  // where the model runs (Settings > Inference)
};

}  // namespace unclip::ui
