#pragma once

#include "client/browsesession.h"
#include "client/clustersession.h"
#include "jobs/pending.h"

#include <QPointer>
#include <QWidget>
#include <deque>
#include <memory>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableView;
class QTimer;

namespace periscope::models {
class MessageFilter;
class MessageFilterProxy;
class MessageModel;
} // namespace periscope::models

namespace periscope::widgets {

class MessageDetail;
class SessionHold;

// Reads a topic into one scrollable table: where to start and stop, progress, cancel, live
// tail, a filter and sorting that run off the GUI thread, and the selected message in
// detail. When the cluster is disconnected, what was read stays to read and export.
class MessageBrowserPane final : public QWidget
{
    Q_OBJECT
public:
    MessageBrowserPane(client::ClusterSession *session, const QString &topic,
                       QWidget *parent = nullptr);
    ~MessageBrowserPane() override;

    void load();
    void cancel();
    models::MessageModel *model() const { return m_model; }
    models::MessageFilterProxy *proxy() const { return m_proxy; }
    QTableView *view() const { return m_view; }
    bool isLoading() const { return m_browse && m_browse->isRunning(); }
    // From the click until the sorted order is shown (or the sort cancelled).
    bool isSorting() const { return m_sortPending; }
    void setFilterText(const QString &text);
    // Sorts by a column in a job, with progress and Cancel; -1 restores arrival order.
    void sortBy(int column, Qt::SortOrder order);
    // Live tail: while paused, at most the ring's capacity of the newest rows is kept.
    void setPaused(bool paused);
    qint64 droppedWhilePaused() const { return m_droppedWhilePaused; }
    qint64 heldRowsWhilePaused() const { return m_heldRows; }
    const client::BrowseSession *browseSession() const { return m_browse.get(); }
    QString statusText() const;
    // Writes the shown messages (all, the filtered ones or the selected ones) to a file.
    void exportTo(const QString &path, bool csv, const QString &scope);

Q_SIGNALS:
    void loadFinished(const periscope::client::ClientError &error);
    void exportFinished(bool ok, const QString &message);
    // "Produce again" on a message: the window opens the producer with it.
    void produceAgain(const QString &topic, const QByteArray &key, const QByteArray &value,
                      const QList<periscope::client::MessageHeader> &headers);
    void filterFinished(int matches);
    void sortFinished();

private:
    static constexpr int kExpressionMode = 100; // the filter mode that parses an expression

    client::BrowseRequest requestFromInputs(QString *problem) const;
    void onBatch(const client::MessageBatch &batch);
    void onProgress(const client::BrowseProgress &progress);
    void onFinished(const client::ClientError &error);
    void runFilter();
    bool buildFilter(models::MessageFilter *filter, QString *error) const;
    void showCurrent();
    void loadWholeValue(int partition, qint64 offset);
    void showRowMenu(const QPoint &pos);
    void updateInputs();
    void holdWhilePaused(const client::MessageBatch &batch);

    SessionHold *m_hold;
    QString m_topic;
    models::MessageModel *m_model;
    models::MessageFilterProxy *m_proxy;
    QLineEdit *m_partitions;
    QComboBox *m_start;
    QSpinBox *m_startNumber;
    QDateTimeEdit *m_startTime;
    QComboBox *m_stop;
    QSpinBox *m_count;
    QPushButton *m_load;
    QPushButton *m_cancel;
    QPushButton *m_pause;
    QCheckBox *m_search;
    QCheckBox *m_utc;
    QProgressBar *m_progress;
    QLabel *m_status;
    QLineEdit *m_filter;
    QComboBox *m_filterMode;
    QComboBox *m_exportScope;
    QPushButton *m_export;
    QLabel *m_filterStatus;
    QTimer *m_filterDelay;
    QTableView *m_view;
    MessageDetail *m_detail;
    std::unique_ptr<client::BrowseSession> m_browse;
    std::unique_ptr<client::BrowseSession> m_wholeValue;
    jobs::Pending<QVector<int>> m_filtering;
    quint64 m_filterSerial = 0;
    jobs::Pending<std::vector<int>> m_sorting;
    bool m_sortPending = false;
    bool m_paused = false;
    std::deque<client::MessageBatch> m_heldWhilePaused;
    qint64 m_heldRows = 0;
    qint64 m_droppedWhilePaused = 0;
};

} // namespace periscope::widgets
