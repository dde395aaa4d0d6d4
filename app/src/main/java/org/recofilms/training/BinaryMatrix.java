package org.recofilms.training;

import java.util.Arrays;

/**
 * A binarised user x item matrix in CSR (rows by user, items ascending) and CSC (columns by item, users
 * ascending) form, the input of the RP3beta, EASE and iALS trainers.
 *
 * <p>Movies with at least {@code minRatings} rating rows are kept, counted over all rows as item-kNN counts
 * them; a row enters the matrix as 1 when {@code positiveThreshold <= 0} or its rating is {@code >=
 * positiveThreshold}; repeated (user, movie) rows count once. Items are numbered in ascending movie id order
 * and users in ascending user id order (users without an entry have empty rows). Memory: 8 bytes per entry
 * plus the id indexes.
 *
 * @param movieIds kept movie ids, ascending: item {@code i} is {@code movieIds[i]}
 * @param userIds user ids, ascending: user {@code u} is {@code userIds[u]}
 * @param rowPtr CSR offsets per user, length {@code users + 1}
 * @param rowItems items of each user's row, ascending
 * @param colPtr CSC offsets per item, length {@code items + 1}
 * @param colUsers users of each item's column, ascending
 */
record BinaryMatrix(int[] movieIds, int[] userIds, int[] rowPtr, int[] rowItems, int[] colPtr, int[] colUsers) {

    int items() {
        return movieIds.length;
    }

    int users() {
        return userIds.length;
    }

    /** Entries in item {@code i}'s column: its number of distinct users. */
    int itemDegree(int i) {
        return colPtr[i + 1] - colPtr[i];
    }

    /** Entries in user {@code u}'s row. */
    int userDegree(int u) {
        return rowPtr[u + 1] - rowPtr[u];
    }

    /** Builds the matrix (see the class comment). */
    static BinaryMatrix of(Ratings ratings, int minRatings, float positiveThreshold) {
        int n = ratings.size();
        int[] userColumn = ratings.userIds();
        int[] movieColumn = ratings.movieIds();
        float[] ratingColumn = ratings.ratings();
        IdIndex movies = IdIndex.of(movieColumn);
        IdIndex users = IdIndex.of(userColumn);
        int[] itemOfMovie = new int[movies.size()];
        int nItems = 0;
        for (int m = 0; m < movies.size(); m++) {
            itemOfMovie[m] = movies.count(m) >= minRatings ? nItems++ : -1;
        }
        int[] movieIds = new int[nItems];
        for (int m = 0; m < movies.size(); m++) {
            if (itemOfMovie[m] >= 0) {
                movieIds[itemOfMovie[m]] = movies.id(m);
            }
        }
        int nUsers = users.size();
        // Counting sort by item, then by user: walking items in order leaves each row sorted by item.
        int[] itemOfRow = new int[n];
        int[] colCount = new int[nItems + 1];
        for (int r = 0; r < n; r++) {
            int item = itemOfMovie[movies.indexOf(movieColumn[r])];
            boolean kept = item >= 0 && (positiveThreshold <= 0 || ratingColumn[r] >= positiveThreshold);
            itemOfRow[r] = kept ? item : -1;
            if (kept) {
                colCount[item + 1]++;
            }
        }
        for (int i = 0; i < nItems; i++) {
            colCount[i + 1] += colCount[i];
        }
        int nnzIn = colCount[nItems];
        int[] byItemUser = new int[nnzIn];
        int[] fill = Arrays.copyOf(colCount, nItems);
        for (int r = 0; r < n; r++) {
            int item = itemOfRow[r];
            if (item >= 0) {
                byItemUser[fill[item]++] = users.indexOf(userColumn[r]);
            }
        }
        int[] rowPtr = new int[nUsers + 1];
        for (int e = 0; e < nnzIn; e++) {
            rowPtr[byItemUser[e] + 1]++;
        }
        for (int u = 0; u < nUsers; u++) {
            rowPtr[u + 1] += rowPtr[u];
        }
        int[] rowFill = Arrays.copyOf(rowPtr, nUsers);
        int[] rowItems = new int[nnzIn];
        for (int item = 0; item < nItems; item++) {
            for (int e = colCount[item]; e < colCount[item + 1]; e++) {
                int u = byItemUser[e];
                int p = rowFill[u];
                if (p == rowPtr[u] || rowItems[p - 1] != item) {
                    rowItems[p] = item;
                    rowFill[u] = p + 1;
                }
            }
        }
        // Compact the rows (duplicates left gaps), then the CSC from the CSR, users ascending.
        int w = 0;
        for (int u = 0; u < nUsers; u++) {
            int from = rowPtr[u];
            int to = rowFill[u];
            rowPtr[u] = w;
            for (int p = from; p < to; p++) {
                rowItems[w++] = rowItems[p];
            }
        }
        rowPtr[nUsers] = w;
        int nnz = w;
        int[] items = nnz == nnzIn ? rowItems : Arrays.copyOf(rowItems, nnz);
        int[] colPtr = new int[nItems + 1];
        for (int p = 0; p < nnz; p++) {
            colPtr[items[p] + 1]++;
        }
        for (int i = 0; i < nItems; i++) {
            colPtr[i + 1] += colPtr[i];
        }
        int[] colUsers = new int[nnz];
        int[] colFill = Arrays.copyOf(colPtr, nItems);
        for (int u = 0; u < nUsers; u++) {
            for (int p = rowPtr[u]; p < rowPtr[u + 1]; p++) {
                colUsers[colFill[items[p]]++] = u;
            }
        }
        return new BinaryMatrix(movieIds, users.ids(), rowPtr, items, colPtr, colUsers);
    }

    static void checkInterrupted() {
        if (Thread.currentThread().isInterrupted()) {
            throw new IllegalStateException("training interrupted");
        }
    }
}
