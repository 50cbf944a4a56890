#include "cluster/overviewpane.h"

#include "cluster/clustersummary.h"
#include "common/sessionhold.h"

#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace periscope::widgets {

OverviewPane::OverviewPane(client::ClusterSession *session, QWidget *parent)
    : QWidget(parent)
    , m_hold(new SessionHold(session, nullptr, this))
    , m_title(new QLabel(this))
    , m_state(new QLabel(this))
    , m_form(new QFormLayout)
{
    m_title->setText(QStringLiteral("<h2>%1</h2>").arg(session->name().toHtmlEscaped()));
    m_form->setLabelAlignment(Qt::AlignRight);
    m_form->setHorizontalSpacing(24);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_state);
    layout->addLayout(m_form);
    layout->addStretch(1);
    connect(session, &client::ClusterSession::metadataChanged, this, &OverviewPane::update);
    connect(session, &client::ClusterSession::offsetsChanged, this, &OverviewPane::update);
    connect(session->client(), &client::ClusterClient::stateChanged, this, &OverviewPane::update);
    connect(m_hold, &SessionHold::ended, this, &OverviewPane::update);
    update();
}

void OverviewPane::update()
{
    const client::ClusterSession *session = m_hold->session();
    if (!session) {
        m_state->setText(m_hold->endedText());
        m_state->setWordWrap(true);
        return;
    }
    const auto *client = session->client();
    // The message adds to the state's name only when it says more ("broker …: refused").
    const QString name = client::ClusterClient::stateName(client->state());
    const QString message = client->stateMessage();
    m_state->setText(message.isEmpty() || message.compare(name, Qt::CaseInsensitive) == 0
                         ? name
                         : name + QStringLiteral(" — ") + message);
    const auto items = models::ClusterSummary::build(
        session->metadata(), client::ClusterClient::librdkafkaVersion(), session->offsets());
    // Rebuilt as a whole: a dozen lines, on each refresh.
    while (m_form->rowCount() > 0)
        m_form->removeRow(0);
    for (const auto &item : items) {
        auto *value = new QLabel(item.value, this);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_form->addRow(item.label + QLatin1Char(':'), value);
    }
}

} // namespace periscope::widgets
