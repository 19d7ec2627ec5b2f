// A base class whose constructor reaches a pure virtual method through a
// helper: during Base's constructor the object is still a Base, so the call
// lands in __cxa_pure_virtual, which prints "pure virtual method called"
// and calls std::terminate (no exception is in flight).
#include <cstdio>

struct Shape {
        Shape() { describe(); }
        virtual ~Shape() = default;
        virtual double area() const = 0;
        __attribute__((noinline)) void describe() const { std::printf("area %f\n", area()); }
};

struct Square : Shape {
        double side = 2;
        double area() const override { return side * side; }
};

int main()
{
        Square s;
        std::printf("%f\n", s.area());
        return 0;
}
