#pragma once

#include "common/logline.h"

#include <QAbstractTableModel>
#include <QList>
#include <deque>

namespace periscope::models {

// A bounded ring of log lines: the oldest rows leave (with proper remove notifications)
// before a batch comes in, so views never see rows that are not there.
class LogModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Time, Level, Source, Message, ColumnCount };
    enum Role { SortRole = Qt::UserRole + 1, LevelRole };

    explicit LogModel(QObject *parent = nullptr);

    void appendLines(const QList<LogLine> &lines);
    void clear();

    int capacity() const { return m_capacity; }
    // At least 1; shrinking drops the oldest rows.
    void setCapacity(int capacity);

    // Lines at error level or above appended since the last clear(), evicted ones included.
    int errorCount() const { return m_errorCount; }
    const LogLine *lineAt(int row) const;

    static QString levelName(int level);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void errorCountChanged(int count);

private:
    void dropOldest(int count);

    std::deque<LogLine> m_lines;
    int m_capacity = 5000;
    int m_errorCount = 0;
};

} // namespace periscope::models
