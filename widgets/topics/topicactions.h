#pragma once

#include "client/clustersession.h"
#include "client/producer.h"

#include <QObject>
#include <QPointer>

class QWidget;

namespace periscope::widgets {

class ActionProgress;

// The topic actions of a cluster (create, delete, add partitions, purge, edit a config,
// produce, import), each asking first through its dialog, then running on the client and
// reporting progress and the broker's answer verbatim on an ActionProgress banner.
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
    // A non-modal ProducerDialog for the topic.
    void produceTo(const QString &topic);
    // Asks for a JSON Lines file, then importFile().
    void importInto(const QString &topic);
    // Every message of the file or, when one line is malformed, none.
    void importFile(const QString &topic, const QString &path);

Q_SIGNALS:
    // An action changed the cluster; panes refresh what they show.
    void changed(const QString &topic);

private:
    qint64 messagesOf(const QString &topic) const;
    void finish(bool ok, const QString &message, const QString &topic);

    client::ClusterSession *m_session;
    QPointer<ActionProgress> m_progress;
    QWidget *m_parent;
    client::Producer *m_producer = nullptr;
};

} // namespace periscope::widgets
