#pragma once

#include "profiles/profile.h"

#include <QTreeWidget>

namespace periscope::widgets {

// The left-hand tree: connection profiles, and under each connected cluster the panes it
// offers. It holds no cluster data itself; the window tells it what is connected.
class Navigator final : public QTreeWidget
{
    Q_OBJECT
public:
    enum class Pane { Overview, Brokers, Topics, Groups };
    Q_ENUM(Pane)

    explicit Navigator(QWidget *parent = nullptr);

    void setProfiles(const QList<profiles::Profile> &profiles);
    void setConnected(const QString &profileId, bool connected, const QString &stateText = {});
    // A problem to show next to a connected cluster ("broker down"); empty when all is well.
    void setProblem(const QString &profileId, const QString &problem, const QString &detail = {});
    QString currentProfileId() const;
    QTreeWidgetItem *profileItem(const QString &profileId) const;

Q_SIGNALS:
    void connectRequested(const QString &profileId);
    void disconnectRequested(const QString &profileId);
    void paneRequested(const QString &profileId, periscope::widgets::Navigator::Pane pane);
    void newProfileRequested();
    void editRequested(const QString &profileId);
    void duplicateRequested(const QString &profileId);
    void deleteRequested(const QString &profileId);

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    void onActivated(QTreeWidgetItem *item);
    void showMenu(const QPoint &pos);
    void addPaneItems(QTreeWidgetItem *profile);

    QSet<QString> m_connected;
    QHash<QString, QString> m_names; // profile id -> name, for the label with a problem
};

} // namespace periscope::widgets
