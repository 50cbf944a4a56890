#include "topics/deletetopicdialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace periscope::widgets {

DeleteTopicDialog::DeleteTopicDialog(Mode mode, QWidget *parent)
    : QDialog(parent)
    , m_mode(mode)
    , m_explanation(new QLabel(this))
    , m_topicLabel(new QLabel(this))
    , m_partitionsLabel(new QLabel(this))
    , m_messagesLabel(new QLabel(this))
    , m_confirmLabel(new QLabel(this))
    , m_confirmEdit(new QLineEdit(this))
{
    setMinimumWidth(420);

    auto *icon = new QLabel(this);
    const int size = style()->pixelMetric(QStyle::PM_MessageBoxIconSize, nullptr, this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(size, size));
    icon->setAlignment(Qt::AlignTop);
    m_explanation->setObjectName(QStringLiteral("explanationLabel"));
    m_explanation->setWordWrap(true);
    m_explanation->setTextFormat(Qt::RichText);
    auto *header = new QHBoxLayout;
    header->addWidget(icon);
    header->addWidget(m_explanation, 1);

    m_topicLabel->setObjectName(QStringLiteral("topicLabel"));
    m_topicLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_partitionsLabel->setObjectName(QStringLiteral("partitionsLabel"));
    m_messagesLabel->setObjectName(QStringLiteral("messagesLabel"));
    auto *facts = new QFormLayout;
    facts->addRow(tr("Topic:"), m_topicLabel);
    facts->addRow(tr("Partitions:"), m_partitionsLabel);
    facts->addRow(tr("Messages:"), m_messagesLabel);

    m_confirmLabel->setWordWrap(true);
    m_confirmLabel->setBuddy(m_confirmEdit);
    m_confirmEdit->setObjectName(QStringLiteral("confirmEdit"));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_okButton = buttons->button(QDialogButtonBox::Ok);
    m_okButton->setObjectName(QStringLiteral("okButton"));
    m_okButton->setEnabled(false);
    buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelButton"));

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addLayout(facts);
    layout->addWidget(m_confirmLabel);
    layout->addWidget(m_confirmEdit);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (confirmed())
            accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_confirmEdit, &QLineEdit::textChanged, this,
            [this] { m_okButton->setEnabled(confirmed()); });

    updateTexts();
    m_confirmEdit->setFocus();
}

void DeleteTopicDialog::setTopic(const QString &name, int partitions, qint64 messages)
{
    m_topic = name;
    m_partitions = partitions;
    m_messages = messages;
    m_confirmEdit->clear();
    updateTexts();
}

bool DeleteTopicDialog::confirmed() const
{
    return !m_topic.isEmpty() && m_confirmEdit->text() == m_topic;
}

void DeleteTopicDialog::updateTexts()
{
    const QLocale locale;
    const bool purge = m_mode == Mode::Purge;
    setWindowTitle(purge ? tr("Purge Topic") : tr("Delete Topic"));
    if (purge) {
        m_explanation->setText(
            tr("All records of <b>%1</b>, in every partition, up to the current end will be "
               "deleted. The topic, its configuration and its consumer groups' offsets stay; "
               "records produced from now on are kept. This cannot be undone.")
                .arg(m_topic.toHtmlEscaped()));
    } else {
        m_explanation->setText(
            tr("The topic <b>%1</b> and all its records will be deleted. Producers and "
               "consumers using it will fail, or recreate it if the cluster creates topics "
               "automatically. This cannot be undone.")
                .arg(m_topic.toHtmlEscaped()));
    }
    m_topicLabel->setText(m_topic);
    m_partitionsLabel->setText(locale.toString(m_partitions));
    m_messagesLabel->setText(m_messages < 0 ? tr("unknown") : locale.toString(m_messages));
    m_confirmLabel->setText(tr("Type the topic name to confirm:"));
    m_confirmEdit->setPlaceholderText(m_topic);
    m_okButton->setText(purge ? tr("&Purge Records") : tr("&Delete Topic"));
    m_okButton->setEnabled(confirmed());
}

} // namespace periscope::widgets
