// The typed answers are checked by the Kotlin compiler: src/test/negative/WrongField.kt (the uniffi
// records) and WrongAnswerField.kt (the generated Kotlin answers), compiled here against the
// module's classes (kotlin-compiler-embeddable, the compiler kotlin-maven-plugin runs), must each
// fail with exactly their two marked errors: a misspelt field (line 12) and a 64-bit time read as
// an Int (line 13). Nothing else may be wrong in them.
package camskit.tests

import camskit.maven.root
import org.jetbrains.kotlin.cli.common.ExitCode
import org.jetbrains.kotlin.cli.common.arguments.K2JVMCompilerArguments
import org.jetbrains.kotlin.cli.common.messages.CompilerMessageSeverity
import org.jetbrains.kotlin.cli.common.messages.CompilerMessageSourceLocation
import org.jetbrains.kotlin.cli.common.messages.MessageCollector
import org.jetbrains.kotlin.cli.jvm.K2JVMCompiler
import org.jetbrains.kotlin.config.Services
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.ValueSource
import java.io.File
import java.nio.file.Files

class NegativeCompileTest {
    private class Message(val line: Int, val text: String)

    private fun jarOf(c: Class<*>): String = File(c.protectionDomain.codeSource.location.toURI()).path

    @ParameterizedTest
    @ValueSource(strings = ["WrongField.kt", "WrongAnswerField.kt"])
    fun `a misspelt or mistyped answer field does not compile`(file: String) {
        val source = File(root, "bindings-uniffi/maven/src/test/negative/$file")
        assertTrue(source.isFile, "$source")
        val errors = mutableListOf<Message>()
        val collector = object : MessageCollector {
            override fun clear() = errors.clear()
            override fun hasErrors() = errors.isNotEmpty()
            override fun report(severity: CompilerMessageSeverity, message: String, location: CompilerMessageSourceLocation?) {
                if (severity.isError) errors += Message(location?.line ?: -1, message)
            }
        }
        val out = Files.createTempDirectory("camskit-negative").toFile()
        try {
            val args = K2JVMCompilerArguments().apply {
                freeArgs = listOf(source.path)
                // the module's classes (the generated bindings), JNA, kotlin-stdlib, kotlinx-serialization
                classpath = listOf(
                    camskit.CamsClient::class.java, com.sun.jna.Native::class.java, Unit::class.java,
                    kotlinx.serialization.json.Json::class.java, kotlinx.serialization.KSerializer::class.java,
                )
                    .joinToString(File.pathSeparator) { jarOf(it) }
                destination = out.path
                noStdlib = true
                noReflect = true
                suppressWarnings = true
            }
            val code = K2JVMCompiler().exec(collector, Services.EMPTY, args)
            assertEquals(ExitCode.COMPILATION_ERROR, code, "$file compiled: the typed answers are not checked")
        } finally {
            out.deleteRecursively()
        }
        val shown = errors.joinToString("\n") { "$file:${it.line}: ${it.text}" }
        assertEquals(2, errors.size, "expected exactly the two marked errors (lines 12 and 13):\n$shown")
        assertTrue(errors.any { it.line == 12 && it.text.contains("templateNmae") }, shown)
        assertTrue(errors.any { it.line == 13 && it.text.contains("mismatch") }, shown)
        println("negative compile of $file: 2 expected errors, none other\n$shown")
    }
}
