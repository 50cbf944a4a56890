#include "browser/browsersettings.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QSettings>
#include <QSpinBox>

namespace periscope::widgets {

namespace {
const QString kBudgetKey = QStringLiteral("browser/memoryBudgetMiB");
const QString kTailKey = QStringLiteral("browser/liveTailRows");
} // namespace

BrowserSettings BrowserSettings::load()
{
    QSettings s;
    BrowserSettings out;
    out.memoryBudgetMiB =
        std::max<qint64>(64, s.value(kBudgetKey, out.memoryBudgetMiB).toLongLong());
    out.liveTailRows = std::max(100, s.value(kTailKey, out.liveTailRows).toInt());
    return out;
}

void BrowserSettings::save() const
{
    QSettings s;
    s.setValue(kBudgetKey, memoryBudgetMiB);
    s.setValue(kTailKey, liveTailRows);
}

BrowserSettingsDialog::BrowserSettingsDialog(QWidget *parent)
    : QDialog(parent)
    , m_budget(new QSpinBox(this))
    , m_tail(new QSpinBox(this))
{
    setWindowTitle(tr("Message browser settings"));
    const BrowserSettings current = BrowserSettings::load();
    m_budget->setObjectName(QStringLiteral("budgetSpin"));
    m_budget->setRange(64, 1024 * 1024);
    m_budget->setSuffix(tr(" MiB"));
    m_budget->setValue(int(current.memoryBudgetMiB));
    m_budget->setToolTip(tr("A load stops with a message when it would take more than this."));
    m_tail->setObjectName(QStringLiteral("tailSpin"));
    m_tail->setRange(100, 10000000);
    m_tail->setGroupSeparatorShown(true);
    m_tail->setValue(current.liveTailRows);
    m_tail->setToolTip(tr("Following live keeps this many of the newest messages."));
    auto *form = new QFormLayout(this);
    form->addRow(tr("Memory per browser:"), m_budget);
    form->addRow(tr("Rows kept when following live:"), m_tail);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

void BrowserSettingsDialog::accept()
{
    BrowserSettings{m_budget->value(), m_tail->value()}.save();
    QDialog::accept();
}

} // namespace periscope::widgets
