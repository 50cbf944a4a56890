#pragma once

#include "client/clustersession.h"
#include "monitor/lagsampler.h"

#include <QObject>
#include <QPointer>

namespace periscope::widgets {

// A pane's or dialog's hold on its cluster. The session can end while the widget stays
// open (disconnected from the navigator, its profile deleted, the local broker gone): the
// hold then hands out null, emits ended() once, and the widget says so and stops asking.
// Results of requests made through it never reach a widget after that: the cluster's jobs
// are cancelled with it.
class SessionHold final : public QObject
{
    Q_OBJECT
public:
    SessionHold(client::ClusterSession *session, monitor::LagSampler *sampler, QObject *parent);

    // Null once the session has ended.
    client::ClusterSession *session() const;
    client::ClusterClient *client() const;
    monitor::LagSampler *sampler() const;
    bool hasEnded() const { return m_ended; }
    bool readOnly() const { return m_readOnly; }
    // The cluster's name, still known after the end.
    QString name() const { return m_name; }
    // "Disconnected from NAME: …", for the widget's banner.
    QString endedText() const;

Q_SIGNALS:
    void ended();

private:
    void end();

    QPointer<client::ClusterSession> m_session;
    QPointer<monitor::LagSampler> m_sampler;
    QString m_name;
    bool m_readOnly = false;
    bool m_ended = false;
};

} // namespace periscope::widgets
