#pragma once

#include <QAbstractListModel>
#include <QList>
#include <QString>

namespace periscope::models {

struct QuickOpenEntry
{
    enum class Kind { Topic, Group };
    Kind kind = Kind::Topic;
    QString name;
    QString cluster;
};

// The Ctrl+K list: holds every topic and group of the open clusters and shows the ones
// matching the current query, best first.
class QuickOpenModel final : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role { KindRole = Qt::UserRole + 1, ClusterRole, EntryIndexRole };

    explicit QuickOpenModel(QObject *parent = nullptr);

    void setEntries(const QList<QuickOpenEntry> &entries);
    const QList<QuickOpenEntry> &entries() const { return m_entries; }

    // Indices into entries(), best first: names starting with text, then containing it,
    // then holding its characters in order; all case-insensitive. An empty text gives
    // the first entries in their own order.
    QList<int> match(const QString &text, int limit) const;
    using QAbstractListModel::match;

    // Rows become match(text, limit).
    void setQuery(const QString &text, int limit = 100);
    QString query() const { return m_query; }
    const QuickOpenEntry *entryAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    QList<QuickOpenEntry> m_entries;
    QList<QString> m_folded; // case-folded names, built once per setEntries
    QList<int> m_shown;
    QString m_query;
    int m_limit = 100;
};

} // namespace periscope::models
