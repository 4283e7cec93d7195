// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The Prompt dock: prompt, negative prompt, mode, seed (lock + dice), batch count, steps per
// stage, guidance scales, mode-specific options, and the Generate / Cancel buttons.
#include "ui/inference/generation.h"

#include <QHash>
#include <QStringList>
#include <QWidget>

class QAction;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QToolButton;

namespace unclip::ui {

class SeedWidget;

class PromptPanel : public QWidget {
    Q_OBJECT

public:
    PromptPanel(QAction* generateAction, QAction* cancelAction, QWidget* parent = nullptr);

    GenerationParams params() const;
    void setParams(const GenerationParams& p);
    pipeline::Mode mode() const;
    void setMode(pipeline::Mode mode);
    bool seedLocked() const;
    void setSeedLocked(bool locked);
    // Called before each generation: draws a new seed unless the seed is locked.
    void prepareSeed();
    // The loaded model (InferenceController::modelInfo): its family's steps and guidance replace
    // the values when the family changes (each family's values are kept for when it comes back),
    // Kandinsky 2.2 shows the output size and hides Karlo's super-resolution (super-res steps,
    // quick candidates). An empty family leaves everything as it is.
    void setModelInfo(const ModelInfo& info);
    const ModelInfo& modelInfo() const { return m_info; }
    // The family the steps and guidance are for (kKarloFamily until a Kandinsky model loads).
    QString family() const { return m_valuesFamily; }
    // Greys out the modes the loaded model cannot run; their tooltip says why (pipeline::Mode as
    // an int in a string key -> reason). An empty map enables every mode.
    void setUnavailableModes(const QVariantMap& reasons);
    bool isModeAvailable(pipeline::Mode mode) const;
    void rollSeed();
    // The per-stage steps and guidance, folded by default.
    bool stagesExpanded() const;
    void setStagesExpanded(bool open);

    // Device and precision, shown here for quick switching (Settings has the same); changing them
    // emits modelOptionsChanged.
    void setDeviceOptions(const QStringList& devices);
    void setModelOptions(const QString& device, const QString& precision);
    QString device() const;
    QString precision() const;

    // Feedback where the eye is (the status bar may be off-screen or unnoticed): the running
    // job's progress and time under the Generate button, and what happened or what to do next.
    enum class Feedback { Info, Warning };
    void showFeedback(const QString& text, Feedback kind = Feedback::Info);
    QString feedbackText() const;
    bool feedbackIsWarning() const { return m_feedbackWarning; }
    // range 0..0 (busy) when total is 0.
    void showProgress(const QString& text, int step, int total);
    void hideProgress();
    bool progressVisible() const;
    // A mask was painted outside Inpaint mode: says so, with a button that switches to Inpaint.
    void offerInpaint();
    bool inpaintOffered() const;

    void saveState() const;   // through settings::setPromptSettings (ui/settings/promptsettings.h)
    void restoreState();

Q_SIGNALS:
    void modeChanged(unclip::pipeline::Mode mode);
    void modelOptionsChanged(const QString& device, const QString& precision);

private:
    void updateModeWidgets();
    // The values setModelInfo() swaps per family: steps and guidance.
    void setStageValues(const GenerationParams& p);
    void updateSizeTexts();  // the size boxes' suffix and tooltip (they name the size step)
    bool drawsAnySize() const { return m_info.sizeStep > 0 && m_info.imageSize > 0; }

    QComboBox* m_mode;
    QPlainTextEdit* m_prompt;
    QPlainTextEdit* m_negative;
    QLabel* m_targetLabel;
    QLineEdit* m_target;
    SeedWidget* m_seed;
    QSpinBox* m_batch;
    QSpinBox* m_priorSteps;
    QSpinBox* m_decoderSteps;
    QSpinBox* m_superResSteps;
    QDoubleSpinBox* m_priorGuidance;
    QDoubleSpinBox* m_decoderGuidance;
    QWidget* m_sizeRow;  // output width × height (Kandinsky 2.2)
    QSpinBox* m_width;
    QSpinBox* m_height;
    int m_sizeFor = 0;   // the model picture side the size was set for
    QFormLayout* m_samplingForm;
    QFormLayout* m_stagesForm;
    ModelInfo m_info;
    QString m_valuesFamily = QString::fromLatin1(kKarloFamily);
    QHash<QString, GenerationParams> m_familyValues;  // the other families' steps and guidance
    QLabel* m_featherLabel;
    QDoubleSpinBox* m_feather;
    QLabel* m_thetaLabel;
    QDoubleSpinBox* m_theta;
    QCheckBox* m_quick;
    QToolButton* m_stagesToggle;
    QWidget* m_stages;
    QProgressBar* m_jobProgress;
    QLabel* m_feedback;
    QPushButton* m_offerInpaint;
    bool m_feedbackWarning = false;
    QComboBox* m_device;
    QComboBox* m_precision;
};

}  // namespace unclip::ui
