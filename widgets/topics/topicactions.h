#pragma once

#include "client/clustersession.h"
#include "client/producer.h"
#include "common/sessionhold.h"
#include "jobs/pending.h"

#include <QObject>
#include <QPointer>

class QWidget;

namespace periscope::widgets {

class ActionProgress;

// The topic actions of a cluster (create, delete, add partitions, purge, edit a config,
// produce, import), each asking first through its dialog, then running on the client and
// reporting progress and the broker's answer verbatim on an ActionProgress banner. Once the
// cluster is disconnected every action says so instead of running.
class TopicActions final : public QObject
{
    Q_OBJECT
public:
    TopicActions(SessionHold *hold, ActionProgress *progress, QWidget *dialogParent);

    bool allowed() const { return !m_hold->readOnly() && !m_hold->hasEnded(); }
    void createTopic();
    void deleteTopic(const QString &topic);
    void addPartitions(const QString &topic);
    void purge(const QString &topic);
    void editConfig(const QString &topic, const client::ConfigEntry &entry);
    // A non-modal ProducerDialog for the topic.
    void produceTo(const QString &topic);
    // Asks for a JSON Lines file, then importFile().
    void importInto(const QString &topic);
    // Every message of the file or, when one line is malformed, none. The file is read in
    // a job, with progress and Cancel on the banner.
    void importFile(const QString &topic, const QString &path);

Q_SIGNALS:
    // An action changed the cluster; panes refresh what they show.
    void changed(const QString &topic);

private:
    qint64 messagesOf(const QString &topic) const;
    void finish(bool ok, const QString &message, const QString &topic);
    // The cluster's client, or null (and the banner says why) once the session ended.
    client::ClusterClient *clientOrSay();
    void produceImported(const QString &topic, const QString &file,
                         QList<client::OutgoingMessage> messages);

    SessionHold *m_hold;
    QPointer<ActionProgress> m_progress;
    QWidget *m_parent;
    client::Producer *m_producer = nullptr;
    jobs::Pending<client::Result<QList<client::OutgoingMessage>>> m_reading;
};

} // namespace periscope::widgets
