// libclang, loaded on first use. cq links no LLVM library: libclang-16 and libLLVM-16 cost
// about 55 MB of resident memory and 40 ms of start-up (their relocations) in every process,
// and most scans (Python, JavaScript, TypeScript, C/C++ without a compilation database) never
// call them. Every analyzer/clang file includes this header instead of <clang-c/Index.h>: after
// it, `clang_foo(...)` means `cx_api().clang_foo(...)`, a pointer resolved with dlsym from the
// library found at configure time (CQ_LIBCLANG_PATH), so the call sites read as plain libclang.
// Private to analyzer/clang.
#pragma once

#include <clang-c/Index.h>

#include <string>

namespace cq::clangfe {

// The libclang functions cq calls. To call another one, add it here and to the #defines below.
#define CQ_CX_FUNCTIONS(X) \
    X(clang_Cursor_getArgument) \
    X(clang_Cursor_getNumArguments) \
    X(clang_Cursor_getSpellingNameRange) \
    X(clang_Cursor_isAnonymous) \
    X(clang_Cursor_isInlineNamespace) \
    X(clang_Cursor_isNull) \
    X(clang_Cursor_isVariadic) \
    X(clang_File_isEqual) \
    X(clang_Location_isFromMainFile) \
    X(clang_createIndex) \
    X(clang_disposeDiagnostic) \
    X(clang_disposeIndex) \
    X(clang_disposeString) \
    X(clang_disposeTokens) \
    X(clang_disposeTranslationUnit) \
    X(clang_equalCursors) \
    X(clang_getCString) \
    X(clang_getCursorExtent) \
    X(clang_getCursorKind) \
    X(clang_getCursorLinkage) \
    X(clang_getCursorLocation) \
    X(clang_getCursorReferenced) \
    X(clang_getCursorSemanticParent) \
    X(clang_getCursorSpelling) \
    X(clang_getCursorType) \
    X(clang_getDiagnostic) \
    X(clang_getDiagnosticLocation) \
    X(clang_getDiagnosticSeverity) \
    X(clang_getDiagnosticSpelling) \
    X(clang_getExpansionLocation) \
    X(clang_getFile) \
    X(clang_getFileLocation) \
    X(clang_getFileName) \
    X(clang_getInclusions) \
    X(clang_getLocationForOffset) \
    X(clang_getNullCursor) \
    X(clang_getNumDiagnostics) \
    X(clang_getNumOverloadedDecls) \
    X(clang_getOverloadedDecl) \
    X(clang_getRange) \
    X(clang_getRangeEnd) \
    X(clang_getRangeStart) \
    X(clang_getTokenExtent) \
    X(clang_getTokenKind) \
    X(clang_getTokenLocation) \
    X(clang_getTranslationUnitCursor) \
    X(clang_hashCursor) \
    X(clang_isCursorDefinition) \
    X(clang_isInvalid) \
    X(clang_parseTranslationUnit2) \
    X(clang_tokenize) \
    X(clang_visitChildren) \

struct CxApi {
#define CQ_CX_MEMBER(name) decltype(&::name) name = nullptr;
    CQ_CX_FUNCTIONS(CQ_CX_MEMBER)
#undef CQ_CX_MEMBER
};

// libclang_available() is declared in clang_frontend.hpp, for the engine.

// The loaded API. Throws std::runtime_error (with the reason) when libclang cannot be loaded.
const CxApi& cx_api();

}  // namespace cq::clangfe

#ifndef CQ_CX_NO_MACROS
#define clang_Cursor_getArgument (::cq::clangfe::cx_api().clang_Cursor_getArgument)
#define clang_Cursor_getNumArguments (::cq::clangfe::cx_api().clang_Cursor_getNumArguments)
#define clang_Cursor_getSpellingNameRange (::cq::clangfe::cx_api().clang_Cursor_getSpellingNameRange)
#define clang_Cursor_isAnonymous (::cq::clangfe::cx_api().clang_Cursor_isAnonymous)
#define clang_Cursor_isInlineNamespace (::cq::clangfe::cx_api().clang_Cursor_isInlineNamespace)
#define clang_Cursor_isNull (::cq::clangfe::cx_api().clang_Cursor_isNull)
#define clang_Cursor_isVariadic (::cq::clangfe::cx_api().clang_Cursor_isVariadic)
#define clang_File_isEqual (::cq::clangfe::cx_api().clang_File_isEqual)
#define clang_Location_isFromMainFile (::cq::clangfe::cx_api().clang_Location_isFromMainFile)
#define clang_createIndex (::cq::clangfe::cx_api().clang_createIndex)
#define clang_disposeDiagnostic (::cq::clangfe::cx_api().clang_disposeDiagnostic)
#define clang_disposeIndex (::cq::clangfe::cx_api().clang_disposeIndex)
#define clang_disposeString (::cq::clangfe::cx_api().clang_disposeString)
#define clang_disposeTokens (::cq::clangfe::cx_api().clang_disposeTokens)
#define clang_disposeTranslationUnit (::cq::clangfe::cx_api().clang_disposeTranslationUnit)
#define clang_equalCursors (::cq::clangfe::cx_api().clang_equalCursors)
#define clang_getCString (::cq::clangfe::cx_api().clang_getCString)
#define clang_getCursorExtent (::cq::clangfe::cx_api().clang_getCursorExtent)
#define clang_getCursorKind (::cq::clangfe::cx_api().clang_getCursorKind)
#define clang_getCursorLinkage (::cq::clangfe::cx_api().clang_getCursorLinkage)
#define clang_getCursorLocation (::cq::clangfe::cx_api().clang_getCursorLocation)
#define clang_getCursorReferenced (::cq::clangfe::cx_api().clang_getCursorReferenced)
#define clang_getCursorSemanticParent (::cq::clangfe::cx_api().clang_getCursorSemanticParent)
#define clang_getCursorSpelling (::cq::clangfe::cx_api().clang_getCursorSpelling)
#define clang_getCursorType (::cq::clangfe::cx_api().clang_getCursorType)
#define clang_getDiagnostic (::cq::clangfe::cx_api().clang_getDiagnostic)
#define clang_getDiagnosticLocation (::cq::clangfe::cx_api().clang_getDiagnosticLocation)
#define clang_getDiagnosticSeverity (::cq::clangfe::cx_api().clang_getDiagnosticSeverity)
#define clang_getDiagnosticSpelling (::cq::clangfe::cx_api().clang_getDiagnosticSpelling)
#define clang_getExpansionLocation (::cq::clangfe::cx_api().clang_getExpansionLocation)
#define clang_getFile (::cq::clangfe::cx_api().clang_getFile)
#define clang_getFileLocation (::cq::clangfe::cx_api().clang_getFileLocation)
#define clang_getFileName (::cq::clangfe::cx_api().clang_getFileName)
#define clang_getInclusions (::cq::clangfe::cx_api().clang_getInclusions)
#define clang_getLocationForOffset (::cq::clangfe::cx_api().clang_getLocationForOffset)
#define clang_getNullCursor (::cq::clangfe::cx_api().clang_getNullCursor)
#define clang_getNumDiagnostics (::cq::clangfe::cx_api().clang_getNumDiagnostics)
#define clang_getNumOverloadedDecls (::cq::clangfe::cx_api().clang_getNumOverloadedDecls)
#define clang_getOverloadedDecl (::cq::clangfe::cx_api().clang_getOverloadedDecl)
#define clang_getRange (::cq::clangfe::cx_api().clang_getRange)
#define clang_getRangeEnd (::cq::clangfe::cx_api().clang_getRangeEnd)
#define clang_getRangeStart (::cq::clangfe::cx_api().clang_getRangeStart)
#define clang_getTokenExtent (::cq::clangfe::cx_api().clang_getTokenExtent)
#define clang_getTokenKind (::cq::clangfe::cx_api().clang_getTokenKind)
#define clang_getTokenLocation (::cq::clangfe::cx_api().clang_getTokenLocation)
#define clang_getTranslationUnitCursor (::cq::clangfe::cx_api().clang_getTranslationUnitCursor)
#define clang_hashCursor (::cq::clangfe::cx_api().clang_hashCursor)
#define clang_isCursorDefinition (::cq::clangfe::cx_api().clang_isCursorDefinition)
#define clang_isInvalid (::cq::clangfe::cx_api().clang_isInvalid)
#define clang_parseTranslationUnit2 (::cq::clangfe::cx_api().clang_parseTranslationUnit2)
#define clang_tokenize (::cq::clangfe::cx_api().clang_tokenize)
#define clang_visitChildren (::cq::clangfe::cx_api().clang_visitChildren)
#endif  // CQ_CX_NO_MACROS
