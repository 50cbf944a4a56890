#include "topics/addpartitionsdialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace periscope::widgets {

namespace {
constexpr int MaxPartitions = 10000;
}

AddPartitionsDialog::AddPartitionsDialog(QWidget *parent)
    : QDialog(parent)
    , m_topicLabel(new QLabel(this))
    , m_currentLabel(new QLabel(this))
    , m_totalSpin(new QSpinBox(this))
    , m_summaryLabel(new QLabel(this))
{
    setWindowTitle(tr("Add Partitions"));
    setMinimumWidth(400);

    m_topicLabel->setObjectName(QStringLiteral("topicLabel"));
    m_topicLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_currentLabel->setObjectName(QStringLiteral("currentLabel"));
    m_totalSpin->setObjectName(QStringLiteral("partitionsSpin"));
    m_summaryLabel->setObjectName(QStringLiteral("summaryLabel"));

    auto *form = new QFormLayout;
    form->addRow(tr("Topic:"), m_topicLabel);
    form->addRow(tr("Current partitions:"), m_currentLabel);
    form->addRow(tr("&New total:"), m_totalSpin);
    form->addRow(QString(), m_summaryLabel);

    auto *warning = new QLabel(
        tr("Records with a key are assigned to a partition by hashing the key over the "
           "partition count. After adding partitions, new records with an existing key may "
           "go to a different partition than earlier ones, so per-key ordering across the "
           "change is lost. Partitions can never be removed again."),
        this);
    warning->setObjectName(QStringLiteral("warningLabel"));
    warning->setWordWrap(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_okButton = buttons->button(QDialogButtonBox::Ok);
    m_okButton->setObjectName(QStringLiteral("okButton"));
    m_okButton->setText(tr("&Add Partitions"));
    buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelButton"));

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(warning);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_totalSpin, &QSpinBox::valueChanged, this, &AddPartitionsDialog::updateSummary);

    setTopic(QString(), 1);
    m_totalSpin->setFocus();
}

void AddPartitionsDialog::setTopic(const QString &name, int currentCount)
{
    m_topic = name;
    m_current = qMax(0, currentCount);
    m_topicLabel->setText(name);
    m_currentLabel->setText(QLocale().toString(m_current));
    m_totalSpin->setRange(m_current + 1, qMax(MaxPartitions, m_current + 1000));
    m_totalSpin->setValue(m_current + 1);
    updateSummary();
}

int AddPartitionsDialog::newTotal() const
{
    return m_totalSpin->value();
}

void AddPartitionsDialog::updateSummary()
{
    const int added = newTotal() - m_current;
    m_summaryLabel->setText(tr("%n partition(s) will be added.", nullptr, added));
    m_okButton->setEnabled(added > 0);
}

} // namespace periscope::widgets
