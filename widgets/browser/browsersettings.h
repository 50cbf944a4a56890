#pragma once

#include <QDialog>

class QSpinBox;

namespace periscope::widgets {

// The message browser's limits, kept in QSettings: how much memory a load may take and how
// many rows a live tail keeps.
struct BrowserSettings
{
    qint64 memoryBudgetMiB = 1024;
    int liveTailRows = 100000;

    static BrowserSettings load();
    void save() const;
};

class BrowserSettingsDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit BrowserSettingsDialog(QWidget *parent = nullptr);
    void accept() override;

private:
    QSpinBox *m_budget;
    QSpinBox *m_tail;
};

} // namespace periscope::widgets
