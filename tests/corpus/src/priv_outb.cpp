// illegal-instruction (privileged): port I/O ported from a DOS-era driver,
// without ioperm()/iopl(): `out dx, al` in user mode is a general-protection
// fault, SIGSEGV with SI_KERNEL; no memory was accessed. clang++ -O2
#include <cstdint>
#include <cstdio>

class Beeper {
public:
        explicit Beeper(uint16_t port) : port_(port) {}
        __attribute__((noinline)) void tone(uint8_t v)
        {
                asm volatile("outb %0, %1" : : "a"(v), "Nd"(port_));
        }
private:
        uint16_t port_;
};

int main()
{
        Beeper b(0x61);
        std::puts("beep");
        b.tone(3);
        return 0;
}
