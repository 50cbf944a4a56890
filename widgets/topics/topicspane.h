#pragma once

#include "client/clustersession.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace periscope::models {
class TopicsModel;
class TopicFilterProxy;
} // namespace periscope::models

namespace periscope::widgets {

class ActionProgress;
class SessionHold;
class TopicActions;

// Every topic of a cluster with partition and message counts; filter as you type,
// sort by any column, actions from the toolbar and the context menu.
class TopicsPane final : public QWidget
{
    Q_OBJECT
public:
    explicit TopicsPane(client::ClusterSession *session, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    models::TopicFilterProxy *proxy() const { return m_proxy; }
    TopicActions *actions() const { return m_actions; }
    void setFilterText(const QString &text);

Q_SIGNALS:
    void openTopic(const QString &name);
    void browseTopic(const QString &name);

private:
    void updateCount();
    void showContextMenu(const QPoint &pos);
    QString currentTopic() const;

    SessionHold *m_hold;
    models::TopicsModel *m_model;
    models::TopicFilterProxy *m_proxy;
    QLineEdit *m_filter;
    QCheckBox *m_regex;
    QCheckBox *m_hideInternal;
    QComboBox *m_refresh;
    QPushButton *m_create;
    QLabel *m_count;
    QTableView *m_view;
    ActionProgress *m_progress;
    TopicActions *m_actions;
};

} // namespace periscope::widgets
