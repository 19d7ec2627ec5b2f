int crashlib_sum(const int *values, int n);
