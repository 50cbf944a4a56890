#include "window/welcomepane.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace periscope::widgets {

namespace {
constexpr int kTextWidth = 460;
}

WelcomePane::WelcomePane(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_text(new QLabel(this))
    , m_newConnection(new QPushButton(tr("New connection…"), this))
    , m_localBroker(new QPushButton(tr("Start local broker with demo data"), this))
{
    setObjectName(QStringLiteral("welcomePane"));
    m_newConnection->setObjectName(QStringLiteral("welcomeNewConnection"));
    m_localBroker->setObjectName(QStringLiteral("welcomeLocalBroker"));
    m_title->setObjectName(QStringLiteral("welcomeTitle"));
    m_text->setObjectName(QStringLiteral("welcomeText"));

    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.5);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setAlignment(Qt::AlignHCenter);
    m_text->setWordWrap(true);
    m_text->setAlignment(Qt::AlignHCenter);
    m_text->setFixedWidth(kTextWidth);

    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(m_newConnection);
    buttons->addWidget(m_localBroker);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->addStretch(2);
    layout->addWidget(m_title, 0, Qt::AlignHCenter);
    layout->addSpacing(8);
    layout->addWidget(m_text, 0, Qt::AlignHCenter);
    layout->addSpacing(16);
    layout->addLayout(buttons);
    layout->addStretch(3);

    connect(m_newConnection, &QPushButton::clicked, this, &WelcomePane::newConnectionRequested);
    connect(m_localBroker, &QPushButton::clicked, this, &WelcomePane::localBrokerRequested);
    setSituation(Situation::NoConnections);
}

void WelcomePane::setSituation(Situation situation)
{
    switch (situation) {
    case Situation::NoConnections:
        m_title->setText(tr("Welcome to Periscope"));
        m_text->setText(tr("Add a connection to your Kafka cluster, or try the console on a "
                           "local broker filled with demo topics, messages and a consumer "
                           "group."));
        break;
    case Situation::NotConnected:
        m_title->setText(tr("Not connected"));
        m_text->setText(tr("Double-click a connection under Clusters to connect, or add a "
                           "new one."));
        break;
    case Situation::Connected:
        m_title->setText(tr("No pane open"));
        m_text->setText(tr("Open Overview, Brokers, Topics or Consumer Groups under a cluster "
                           "on the left, or press Ctrl+K to find a topic or group by name."));
        break;
    }
    // A centred label gets the height of its size hint, not of its wrapped lines.
    m_text->setFixedHeight(m_text->heightForWidth(kTextWidth));
    // Once connected, the buttons are one click away in the menus and only distract.
    m_newConnection->setVisible(situation != Situation::Connected);
    m_localBroker->setVisible(situation != Situation::Connected);
}

} // namespace periscope::widgets
