#pragma once

#include "client/clustersession.h"

#include <QObject>
#include <QPointer>

class QWidget;

namespace periscope::widgets {

class ActionProgress;

// The topic actions of a cluster (create, delete, add partitions, purge, edit a config),
// each asking first through its dialog, then running on the client and reporting progress
// and the broker's answer verbatim on an ActionProgress banner.
class TopicActions final : public QObject
{
    Q_OBJECT
public:
    TopicActions(client::ClusterSession *session, ActionProgress *progress, QWidget *dialogParent);

    bool allowed() const { return !m_session->readOnly(); }
    void createTopic();
    void deleteTopic(const QString &topic);
    void addPartitions(const QString &topic);
    void purge(const QString &topic);
    void editConfig(const QString &topic, const client::ConfigEntry &entry);

Q_SIGNALS:
    // An action changed the cluster; panes refresh what they show.
    void changed(const QString &topic);

private:
    qint64 messagesOf(const QString &topic) const;
    void finish(bool ok, const QString &message, const QString &topic);

    client::ClusterSession *m_session;
    QPointer<ActionProgress> m_progress;
    QWidget *m_parent;
};

} // namespace periscope::widgets
